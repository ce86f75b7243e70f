package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/** MIN/MAX of INT, BIGINT, TIMESTAMP and BOOLEAN values; {@code counts} tells whether a group has one. */
final class MinMaxLong extends Accumulator {
  private final int width;
  private final boolean max;
  long[] values = new long[0];
  long[] counts = new long[0];

  MinMaxLong(TypeKind type, boolean max) {
    this.width = type.width();
    this.max = max;
  }

  /** Values start at the identity of MIN or MAX, so that an update needs no test for an empty group. */
  private long identity() {
    return max ? Long.MIN_VALUE : Long.MAX_VALUE;
  }

  @Override
  protected void grow(int newCapacity) {
    int old = values.length;
    values = Arrays.copyOf(values, newCapacity);
    Arrays.fill(values, old, newCapacity, identity());
    counts = Arrays.copyOf(counts, newCapacity);
  }

  @Override
  public void update(int[] groups, FieldVector argument, int n) {
    long data = Vectors.data(argument);
    long validity = Vectors.validity(argument);
    boolean nullable = argument.getNullCount() > 0;
    long[] v = values;
    long[] c = counts;
    if (!nullable && width == 8) {
      if (max) {
        for (int i = 0; i < n; i++) {
          int g = groups[i];
          v[g] = Math.max(v[g], MemoryUtil.getLong(data + ((long) i << 3)));
          c[g]++;
        }
      } else {
        for (int i = 0; i < n; i++) {
          int g = groups[i];
          v[g] = Math.min(v[g], MemoryUtil.getLong(data + ((long) i << 3)));
          c[g]++;
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      if (nullable && !Vectors.bit(validity, i)) {
        continue;
      }
      int g = groups[i];
      long x = readLong(data, width, i);
      v[g] = max ? Math.max(v[g], x) : Math.min(v[g], x);
      c[g]++;
    }
  }

  @Override
  public void reset(int group) {
    values[group] = identity();
    counts[group] = 0;
  }

  @Override
  public void merge(int dst, int src) {
    if (counts[src] == 0) {
      return;
    }
    values[dst] = max ? Math.max(values[dst], values[src]) : Math.min(values[dst], values[src]);
    counts[dst] += counts[src];
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
    return longResult(values, counts, groups, n, type, allocator);
  }

  @Override
  public void compact(int[] survivors, int count) {
    values = keep(values, survivors, count);
    Arrays.fill(values, count, values.length, identity());
    counts = keep(counts, survivors, count);
    capacity = values.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + "value", BIGINT), field(prefix + "count", BIGINT));
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
