package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/** SUM (null when no value) or AVG of DOUBLE values; the result is cast to the result type when that is not DOUBLE. */
final class SumDouble extends DoubleValues {
  private final boolean average;

  SumDouble(boolean average) {
    super("sum");
    this.average = average;
  }

  @Override
  public void update(int[] groups, FieldVector argument, int n) {
    fold(groups, argument, n, 1);
  }

  @Override
  public void retract(int[] groups, FieldVector argument, int n) {
    fold(groups, argument, n, -1);
  }

  private void fold(int[] groups, FieldVector argument, int n, int sign) {
    long data = Vectors.data(argument);
    long validity = Vectors.validity(argument);
    boolean nullable = argument.getNullCount() > 0;
    for (int i = 0; i < n; i++) {
      if (!nullable || Vectors.bit(validity, i)) {
        int g = groups[i];
        values[g] += sign * Vectors.readDouble(data, i);
        counts[g] += sign;
      }
    }
  }

  @Override
  public void merge(int dst, int src) {
    values[dst] += values[src];
    counts[dst] += counts[src];
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
    FieldVector out = Vectors.allocate(type, n, allocator);
    long data = Vectors.data(out);
    long validity = Vectors.validity(out);
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (counts[g] == 0) {
        continue;
      }
      Vectors.setBit(validity, i);
      double value = average ? values[g] / counts[g] : values[g];
      if (type == TypeKind.DOUBLE) {
        Vectors.writeDouble(data, i, value);
      } else {
        Vectors.writeLong(data, type.width(), i, (long) value);
      }
    }
    out.setValueCount(n);
    return out;
  }

}
