package io.freshet.exec.expr;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/** Raw access to Arrow buffers for kernels: addresses and bit twiddling, no bounds checks in the loops. */
public final class Vectors {
  private Vectors() { }

  /** A fixed-width vector of {@code type} with room for {@code count} values, all null. */
  public static FieldVector allocate(TypeKind type, int count, BufferAllocator allocator) {
    FieldVector v = Column.of("v", type).toArrowField().createVector(allocator);
    if (v instanceof VarCharVector s) {
      s.allocateNew(Math.max(count, 1) * 16L, Math.max(count, 1));
    } else {
      ((BaseFixedWidthVector) v).allocateNew(Math.max(count, 1));
    }
    return v;
  }

  /** An empty vector for each of {@code fields}, allocated to be filled (all closed if one cannot be made). */
  public static java.util.List<FieldVector> empty(java.util.List<org.apache.arrow.vector.types.pojo.Field> fields,
      BufferAllocator allocator) {
    java.util.List<FieldVector> vectors = new java.util.ArrayList<>();
    io.freshet.exec.batch.Owned.orClose(vectors, () -> {
      for (var f : fields) {
        FieldVector v = f.createVector(allocator);
        vectors.add(v);
        v.allocateNew();
      }
    });
    return vectors;
  }

  /** The rows {@code sel[0..n)} of {@code source}, in that order, as a new vector. */
  public static FieldVector gather(FieldVector source, TypeKind type, int[] sel, int n, BufferAllocator allocator) {
    return ColumnKernel.gather(source, type, sel, n, allocator);
  }

  public static long data(FieldVector v) {
    return v.getDataBufferAddress();
  }

  public static long validity(FieldVector v) {
    return v.getValidityBufferAddress();
  }

  public static int validityBytes(int count) {
    return (count + 7) >>> 3;
  }

  public static boolean bit(long address, int i) {
    return ((MemoryUtil.getByte(address + (i >>> 3)) >>> (i & 7)) & 1) != 0;
  }

  public static void setBit(long address, int i) {
    long a = address + (i >>> 3);
    MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (i & 7))));
  }

  public static void clearBit(long address, int i) {
    long a = address + (i >>> 3);
    MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) & ~(1 << (i & 7))));
  }

  /** Marks the first {@code count} values valid. */
  public static void setAllValid(FieldVector v, int count) {
    MemoryUtil.setMemory(validity(v), validityBytes(count), (byte) 0xFF);
  }

  /**
   * Sets the validity of {@code out} to the AND of its operands' (a constant operand is valid: the compiler
   * folds null constants away).
   */
  public static void andValidity(FieldVector out, int count, FieldVector a, boolean aConst, FieldVector b,
      boolean bConst) {
    long o = validity(out);
    int bytes = validityBytes(count);
    if (aConst && bConst) {
      MemoryUtil.setMemory(o, bytes, (byte) 0xFF);
    } else if (aConst || bConst) {
      MemoryUtil.copyMemory(validity(aConst ? b : a), o, bytes);
    } else {
      long va = validity(a);
      long vb = validity(b);
      for (int k = 0; k < bytes; k++) {
        MemoryUtil.putByte(o + k, (byte) (MemoryUtil.getByte(va + k) & MemoryUtil.getByte(vb + k)));
      }
    }
  }

  /** Reads an INT, BIGINT or TIMESTAMP value as a long. */
  public static long readLong(long dataAddress, int width, int i) {
    return width == 8 ? MemoryUtil.getLong(dataAddress + ((long) i << 3)) : MemoryUtil.getInt(dataAddress + ((long) i << 2));
  }

  public static void writeLong(long dataAddress, int width, int i, long value) {
    if (width == 8) {
      MemoryUtil.putLong(dataAddress + ((long) i << 3), value);
    } else {
      MemoryUtil.putInt(dataAddress + ((long) i << 2), (int) value);
    }
  }

  public static double readDouble(long dataAddress, int i) {
    return Double.longBitsToDouble(MemoryUtil.getLong(dataAddress + ((long) i << 3)));
  }

  public static void writeDouble(long dataAddress, int i, double value) {
    MemoryUtil.putLong(dataAddress + ((long) i << 3), Double.doubleToRawLongBits(value));
  }

  /** Start of string {@code i} in the data buffer of a VARCHAR vector. */
  public static int stringStart(long offsets, int i) {
    return MemoryUtil.getInt(offsets + ((long) i << 2));
  }

  public static int stringEnd(long offsets, int i) {
    return MemoryUtil.getInt(offsets + ((long) (i + 1) << 2));
  }

  /** Compares two byte strings in memory, unsigned, as UTF-8 code point order. */
  public static int compareBytes(long a, int lenA, long b, int lenB) {
    int n = Math.min(lenA, lenB);
    int k = 0;
    for (; k + 8 <= n; k += 8) {
      long x = MemoryUtil.getLong(a + k);
      long y = MemoryUtil.getLong(b + k);
      if (x != y) {
        // Compare as big-endian bytes: the first differing byte decides.
        return Long.compareUnsigned(Long.reverseBytes(x), Long.reverseBytes(y));
      }
    }
    for (; k < n; k++) {
      int x = MemoryUtil.getByte(a + k) & 0xFF;
      int y = MemoryUtil.getByte(b + k) & 0xFF;
      if (x != y) {
        return x - y;
      }
    }
    return Integer.compare(lenA, lenB);
  }
}
