package io.freshet.exec.aggregate.accumulator;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * An accumulator that keeps a long and a count per group (SUM and AVG of integers, MIN and MAX): how the arrays
 * grow, shrink and go into the checkpoint as the state columns {@code <name>} and {@code count}.
 */
abstract class LongValues extends Accumulator {
  private final String name;
  /** What a group without values holds. */
  private final long identity;
  long[] values = new long[0];
  long[] counts = new long[0];

  LongValues(String name, long identity) {
    this.name = name;
    this.identity = identity;
  }

  @Override
  protected void grow(int newCapacity) {
    int old = values.length;
    values = Arrays.copyOf(values, newCapacity);
    Arrays.fill(values, old, newCapacity, identity);
    counts = Arrays.copyOf(counts, newCapacity);
  }

  @Override
  public void reset(int group) {
    values[group] = identity;
    counts[group] = 0;
  }

  @Override
  public void compact(int[] survivors, int count) {
    values = keep(values, survivors, count);
    Arrays.fill(values, count, values.length, identity);
    counts = keep(counts, survivors, count);
    capacity = values.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + name, BIGINT), field(prefix + "count", BIGINT));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
    return List.of(longs(values, groups, n, allocator), longs(counts, groups, n, allocator));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    values[group] = ((BigIntVector) state.get(0)).get(row);
    counts[group] = ((BigIntVector) state.get(1)).get(row);
  }

  @Override
  public long bytes() {
    return values.length * 16L;
  }
}
