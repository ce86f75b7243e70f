package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/** MIN/MAX of INT, BIGINT, TIMESTAMP and BOOLEAN values; {@code counts} tells whether a group has one. */
final class MinMaxLong extends LongValues {
  private final int width;
  private final boolean max;

  /** Values start at the identity of MIN or MAX, so that an update needs no test for an empty group. */
  MinMaxLong(TypeKind type, boolean max) {
    super("value", max ? Long.MIN_VALUE : Long.MAX_VALUE);
    this.width = type.width();
    this.max = max;
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

}
