package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.types.pojo.Field;

/** MIN/MAX of DOUBLE values; {@code counts} tells whether a group has one. */
final class MinMaxDouble extends Accumulator {
  private final boolean max;
  double[] values = new double[0];
  long[] counts = new long[0];

  MinMaxDouble(boolean max) {
    this.max = max;
  }

  @Override
  protected void grow(int newCapacity) {
    values = Arrays.copyOf(values, newCapacity);
    counts = Arrays.copyOf(counts, newCapacity);
  }

  @Override
  public void update(int[] groups, FieldVector argument, int n) {
    long data = Vectors.data(argument);
    long validity = Vectors.validity(argument);
    boolean nullable = argument.getNullCount() > 0;
    for (int i = 0; i < n; i++) {
      if (nullable && !Vectors.bit(validity, i)) {
        continue;
      }
      int g = groups[i];
      double x = Vectors.readDouble(data, i);
      values[g] = counts[g] == 0 ? x : max ? Math.max(values[g], x) : Math.min(values[g], x);
      counts[g]++;
    }
  }

  @Override
  public void reset(int group) {
    values[group] = 0;
    counts[group] = 0;
  }

  @Override
  public void merge(int dst, int src) {
    if (counts[src] == 0) {
      return;
    }
    values[dst] = counts[dst] == 0 ? values[src]
        : max ? Math.max(values[dst], values[src]) : Math.min(values[dst], values[src]);
    counts[dst] += counts[src];
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
    FieldVector out = Vectors.allocate(type, n, allocator);
    long data = Vectors.data(out);
    long validity = Vectors.validity(out);
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (counts[g] != 0) {
        Vectors.setBit(validity, i);
        Vectors.writeDouble(data, i, values[g]);
      }
    }
    out.setValueCount(n);
    return out;
  }

  @Override
  public void compact(int[] survivors, int count) {
    values = keep(values, survivors, count);
    counts = keep(counts, survivors, count);
    capacity = values.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + "value", DOUBLE), field(prefix + "count", BIGINT));
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
