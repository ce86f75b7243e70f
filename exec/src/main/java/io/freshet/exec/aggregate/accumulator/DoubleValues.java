package io.freshet.exec.aggregate.accumulator;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * An accumulator that keeps a double and a count per group (SUM and AVG of doubles, MIN and MAX): how the arrays
 * grow, shrink and go into the checkpoint as the state columns {@code <name>} and {@code count}. A group without
 * values holds 0 and a count of 0.
 */
abstract class DoubleValues extends Accumulator {
  private final String name;
  double[] values = new double[0];
  long[] counts = new long[0];

  DoubleValues(String name) {
    this.name = name;
  }

  @Override
  protected void grow(int newCapacity) {
    values = Arrays.copyOf(values, newCapacity);
    counts = Arrays.copyOf(counts, newCapacity);
  }

  @Override
  public void reset(int group) {
    values[group] = 0;
    counts[group] = 0;
  }

  @Override
  public void compact(int[] survivors, int count) {
    values = keep(values, survivors, count);
    counts = keep(counts, survivors, count);
    capacity = values.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + name, DOUBLE), field(prefix + "count", BIGINT));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
    return List.of(doubles(values, groups, n, allocator), longs(counts, groups, n, allocator));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    values[group] = ((Float8Vector) state.get(0)).get(row);
    counts[group] = ((BigIntVector) state.get(1)).get(row);
  }

  @Override
  public long bytes() {
    return values.length * 16L;
  }
}
