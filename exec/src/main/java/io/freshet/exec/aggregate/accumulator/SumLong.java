package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** SUM (null when no value) or AVG (truncated to the integer result type, as SQL's AVG of integers is). */
final class SumLong extends LongValues {
  private final boolean average;

  SumLong(boolean average) {
    super("sum", 0);
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

  private void fold(int[] groups, FieldVector argument, int n, long sign) {
    long data = Vectors.data(argument);
    int width = argument.getField().getType() instanceof ArrowType.Int i ? i.getBitWidth() / 8 : 8;
    long[] s = values;
    long[] c = counts;
    if (argument.getNullCount() == 0) {
      if (width == 8) {
        for (int i = 0; i < n; i++) {
          int g = groups[i];
          s[g] += sign * MemoryUtil.getLong(data + ((long) i << 3));
          c[g] += sign;
        }
      } else {
        for (int i = 0; i < n; i++) {
          int g = groups[i];
          s[g] += sign * MemoryUtil.getInt(data + ((long) i << 2));
          c[g] += sign;
        }
      }
      return;
    }
    long validity = Vectors.validity(argument);
    for (int i = 0; i < n; i++) {
      if (Vectors.bit(validity, i)) {
        int g = groups[i];
        s[g] += sign * Vectors.readLong(data, width, i);
        c[g] += sign;
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
    if (!average) {
      return longResult(values, counts, groups, n, type, allocator);
    }
    FieldVector out = Vectors.allocate(type, n, allocator);
    long data = Vectors.data(out);
    long validity = Vectors.validity(out);
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (counts[g] == 0) {
        continue;
      }
      Vectors.setBit(validity, i);
      if (type == TypeKind.DOUBLE) {
        Vectors.writeDouble(data, i, (double) values[g] / counts[g]);
      } else {
        Vectors.writeLong(data, type.width(), i, values[g] / counts[g]);
      }
    }
    out.setValueCount(n);
    return out;
  }

}
