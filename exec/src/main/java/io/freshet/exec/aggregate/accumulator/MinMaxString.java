package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** MIN/MAX of strings in code point order (byte order of UTF-8); one byte array per group, none per row. */
final class MinMaxString extends Accumulator {
  private final boolean max;
  byte[][] values = new byte[0][];

  MinMaxString(boolean max) {
    this.max = max;
  }

  @Override
  protected void grow(int newCapacity) {
    values = Arrays.copyOf(values, newCapacity);
  }

  @Override
  public void update(int[] groups, FieldVector argument, int n) {
    VarCharVector s = (VarCharVector) argument;
    long offsets = s.getOffsetBufferAddress();
    long data = s.getDataBufferAddress();
    long validity = Vectors.validity(s);
    boolean nullable = s.getNullCount() > 0;
    for (int i = 0; i < n; i++) {
      if (nullable && !Vectors.bit(validity, i)) {
        continue;
      }
      int g = groups[i];
      int start = Vectors.stringStart(offsets, i);
      int length = Vectors.stringEnd(offsets, i) - start;
      byte[] cur = values[g];
      if (cur == null || better(data + start, length, cur)) {
        byte[] copy = new byte[length];
        MemoryUtil.copyFromMemory(data + start, copy, 0, length);
        values[g] = copy;
      }
    }
  }

  private boolean better(long address, int length, byte[] current) {
    int n = Math.min(length, current.length);
    for (int k = 0; k < n; k++) {
      int a = MemoryUtil.getByte(address + k) & 0xFF;
      int b = current[k] & 0xFF;
      if (a != b) {
        return max ? a > b : a < b;
      }
    }
    return max ? length > current.length : length < current.length;
  }

  @Override
  public void reset(int group) {
    values[group] = null;
  }

  @Override
  public void merge(int dst, int src) {
    byte[] a = values[dst];
    byte[] b = values[src];
    if (b != null && (a == null || (max ? Arrays.compareUnsigned(b, a) > 0 : Arrays.compareUnsigned(b, a) < 0))) {
      values[dst] = b;
    }
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind type, BufferAllocator allocator) {
    return bytes(new VarCharVector("v", allocator), values, groups, n);
  }

  @Override
  public void compact(int[] survivors, int count) {
    byte[][] b = new byte[Math.max(16, count)][];
    for (int i = 0; i < count; i++) {
      b[i] = values[survivors[i]];
    }
    values = b;
    capacity = b.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + "value", ArrowType.Utf8.INSTANCE));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
    return List.of(result(groups, n, TypeKind.VARCHAR, allocator));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    VarCharVector v = (VarCharVector) state.get(0);
    values[group] = v.isNull(row) ? null : v.get(row);
  }

  @Override
  public long bytes() {
    long total = values.length * 8L;
    for (byte[] v : values) {
      total += v == null ? 0 : v.length + 16;
    }
    return total;
  }
}
