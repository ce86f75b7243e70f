package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/** MIN/MAX of DOUBLE values; {@code counts} tells whether a group has one. */
final class MinMaxDouble extends DoubleValues {
  private final boolean max;

  MinMaxDouble(boolean max) {
    super("value");
    this.max = max;
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

}
