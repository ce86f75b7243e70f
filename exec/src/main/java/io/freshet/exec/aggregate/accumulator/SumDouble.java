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

/** SUM (null when no value) or AVG of DOUBLE values; the result is cast to the result type when that is not DOUBLE. */
final class SumDouble extends Accumulator {
  private final TypeKind resultType;
  private final boolean average;
  double[] sums = new double[0];
  long[] counts = new long[0];

  SumDouble(TypeKind resultType, boolean average) {
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
    long validity = Vectors.validity(argument);
    boolean nullable = argument.getNullCount() > 0;
    for (int i = 0; i < n; i++) {
      if (!nullable || Vectors.bit(validity, i)) {
        int g = groups[i];
        sums[g] += Vectors.readDouble(data, i);
        counts[g]++;
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
    FieldVector out = Vectors.allocate(type, n, allocator);
    long data = Vectors.data(out);
    long validity = Vectors.validity(out);
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (counts[g] == 0) {
        continue;
      }
      Vectors.setBit(validity, i);
      double value = average ? sums[g] / counts[g] : sums[g];
      if (type == TypeKind.DOUBLE) {
        Vectors.writeDouble(data, i, value);
      } else {
        Vectors.writeLong(data, type.width(), i, (long) value);
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
    return List.of(field(prefix + "sum", DOUBLE), field(prefix + "count", BIGINT));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
    return List.of(doubles(sums, groups, n, allocator), longs(counts, groups, n, allocator));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    sums[group] = ((Float8Vector) state.get(0)).get(row);
    counts[group] = ((BigIntVector) state.get(1)).get(row);
  }

  @Override
  public long bytes() {
    return sums.length * 16L;
  }
}
