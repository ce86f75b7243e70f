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

/** COUNT(*) counts rows; COUNT(x) counts rows where x is not null. */
public final class Count extends Accumulator {
  private final boolean star;
  long[] counts = new long[0];

  Count(boolean star) {
    this.star = star;
  }

  @Override
  protected void grow(int newCapacity) {
    counts = Arrays.copyOf(counts, newCapacity);
  }

  /** The count of {@code group}. */
  public long count(int group) {
    return counts[group];
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
    long[] c = counts;
    if (star || argument.getNullCount() == 0) {
      for (int i = 0; i < n; i++) {
        c[groups[i]] += sign;
      }
      return;
    }
    long validity = Vectors.validity(argument);
    for (int i = 0; i < n; i++) {
      c[groups[i]] += sign * ((MemoryUtil.getByte(validity + (i >>> 3)) >>> (i & 7)) & 1);
    }
  }

  @Override
  public void reset(int group) {
    counts[group] = 0;
  }

  @Override
  public void merge(int dst, int src) {
    counts[dst] += counts[src];
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
    return longResult(counts, null, groups, n, type, allocator);
  }

  @Override
  public void compact(int[] survivors, int count) {
    counts = keep(counts, survivors, count);
    capacity = counts.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + "count", BIGINT));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
    return List.of(longs(counts, groups, n, allocator));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    counts[group] = ((BigIntVector) state.get(0)).get(row);
  }

  @Override
  public long bytes() {
    return counts.length * 8L;
  }
}
