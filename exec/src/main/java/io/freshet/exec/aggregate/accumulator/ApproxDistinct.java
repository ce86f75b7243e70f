package io.freshet.exec.aggregate.accumulator;

import io.freshet.exec.aggregate.KeyColumn;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * APPROX_COUNT_DISTINCT: one {@link HyperLogLog} sketch per group, allocated at a group's first value. Values hash
 * as the key table hashes them, so equal values count once.
 */
final class ApproxDistinct extends Accumulator {
  private final TypeKind type;
  byte[][] registers = new byte[0][];

  ApproxDistinct(TypeKind type) {
    this.type = type;
  }

  @Override
  protected void grow(int newCapacity) {
    registers = Arrays.copyOf(registers, newCapacity);
  }

  @Override
  public void update(int[] groups, FieldVector argument, int n) {
    KeyColumn hasher = KeyColumn.of(type);
    hasher.bind(argument);
    for (int i = 0; i < n; i++) {
      if (argument.isNull(i)) {
        continue;
      }
      long h = KeyColumn.mix(hasher.valueHash(i) + 0x632BE59BD9B4E019L);
      int g = groups[i];
      byte[] r = registers[g];
      if (r == null) {
        r = registers[g] = new byte[HyperLogLog.M];
      }
      HyperLogLog.add(r, h);
    }
  }

  @Override
  public void reset(int group) {
    registers[group] = null;
  }

  @Override
  public void merge(int dst, int src) {
    byte[] b = registers[src];
    if (b == null) {
      return;
    }
    byte[] a = registers[dst];
    if (a == null) {
      registers[dst] = b.clone();
      return;
    }
    HyperLogLog.merge(a, b);
  }

  @Override
  public FieldVector result(int[] groups, int n, TypeKind resultType, BufferAllocator allocator) {
    long[] estimates = new long[n];
    int[] identity = new int[n];
    for (int i = 0; i < n; i++) {
      estimates[i] = HyperLogLog.estimate(registers[groups[i]]);
      identity[i] = i;
    }
    return longResult(estimates, null, identity, n, resultType, allocator);
  }

  @Override
  public void compact(int[] survivors, int count) {
    byte[][] b = new byte[Math.max(16, count)][];
    for (int i = 0; i < count; i++) {
      b[i] = registers[survivors[i]];
    }
    registers = b;
    capacity = b.length;
  }

  @Override
  public List<Field> stateFields(String prefix) {
    return List.of(field(prefix + "registers", ArrowType.Binary.INSTANCE));
  }

  @Override
  public List<FieldVector> writeState(int[] groups, int n, BufferAllocator allocator) {
    return List.of(bytes(new VarBinaryVector("s", allocator), registers, groups, n));
  }

  @Override
  public void readState(List<FieldVector> state, int row, int group) {
    VarBinaryVector v = (VarBinaryVector) state.get(0);
    registers[group] = v.isNull(row) ? null : v.get(row);
  }

  @Override
  public long bytes() {
    long total = registers.length * 8L;
    for (byte[] r : registers) {
      total += r == null ? 0 : HyperLogLog.M + 16;
    }
    return total;
  }
}
