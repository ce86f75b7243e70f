package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** SUM (null when no value) or AVG (truncated to the integer result type, as SQL's AVG of integers is). */
final class SumLong extends Accumulator {
  private final TypeKind resultType;
  private final boolean average;
  long[] sums = new long[0];
  long[] counts = new long[0];

  SumLong(TypeKind resultType, boolean average) {
    this.resultType = resultType;
    this.average = average;
  }

  @Override
  protected void grow(int newCapacity) {
    sums = Arrays.copyOf(sums, newCapacity);
    counts = Arrays.copyOf(counts, newCapacity);
  }

  @Override
  public void update(int[] groups, FieldVector argument, int n) {
    long data = Vectors.data(argument);
    int width = argument.getField().getType() instanceof ArrowType.Int i ? i.getBitWidth() / 8 : 8;
    long[] s = sums;
    long[] c = counts;
    if (argument.getNullCount() == 0) {
      if (width == 8) {
        for (int i = 0; i < n; i++) {
          int g = groups[i];
          s[g] += MemoryUtil.getLong(data + ((long) i << 3));
          c[g]++;
        }
      } else {
        for (int i = 0; i < n; i++) {
          int g = groups[i];
          s[g] += MemoryUtil.getInt(data + ((long) i << 2));
          c[g]++;
        }
      }
      return;
    }
    long validity = Vectors.validity(argument);
    for (int i = 0; i < n; i++) {
      if (Vectors.bit(validity, i)) {
        int g = groups[i];
        s[g] += Vectors.readLong(data, width, i);
        c[g]++;
      }
    }
  }

  @Override
  public void reset(int group) {
    sums[group] = 0;
    counts[group] = 0;
  }

  @Override
  public void merge(int dst, int src) {
    sums[dst] += sums[src];
    counts[dst] += counts[src];
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
    if (!average) {
      return longResult(sums, counts, groups, n, type, allocator);
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
        Vectors.writeDouble(data, i, (double) sums[g] / counts[g]);
      } else {
        Vectors.writeLong(data, type.width(), i, sums[g] / counts[g]);
      }
    }
    out.setValueCount(n);
    return out;
  }

  @Override
  public void compact(int[] survivors, int count) {
    sums = keep(sums, survivors, count);
    counts = keep(counts, survivors, count);
    capacity = sums.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + "sum", BIGINT), field(prefix + "count", BIGINT));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
    return List.of(longs(sums, groups, n, allocator), longs(counts, groups, n, allocator));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    sums[group] = ((BigIntVector) state.get(0)).get(row);
    counts[group] = ((BigIntVector) state.get(1)).get(row);
  }

  @Override
  public long bytes() {
    return sums.length * 16L;
  }
}
