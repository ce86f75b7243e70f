package io.freshet.exec.expr.codegen;

import io.freshet.exec.batch.Batch;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * The base class of the code {@link CalcGenerator} writes for one Calc: a filter and projections as loops over
 * the rows of a batch that read and write Arrow buffers directly. The static helpers are the generated code's
 * vocabulary; they are small enough for the JIT to inline, so the generated loops read like the kernels' loops.
 * A generated body holds no state and may be shared by threads.
 */
public abstract class CalcBody {

  /**
   * Writes the rows {@code 0 <= i < count} of {@code batch} for which the generated filter is TRUE (not FALSE,
   * not NULL) to {@code selection}, in order, and returns how many there are.
   */
  public abstract int filter(Batch batch, int count, int[] selection);

  /**
   * Computes the generated projections over rows {@code selection[0..count)} of {@code batch} (its first
   * {@code count} rows when {@code selection} is null): value {@code i} of {@code out[k]} is projection
   * {@code k} of the i-th row. Each vector of {@code out} is allocated for {@code count} values; every value
   * and validity bit is written.
   */
  public abstract void project(Batch batch, int[] selection, int count, FieldVector[] out);

  /** Whether column {@code column} of {@code batch} holds no NULL. */
  public static boolean noNulls(Batch batch, int column) {
    return batch.vector(column).getNullCount() == 0;
  }

  public static long data(Batch batch, int column) {
    return batch.vector(column).getDataBufferAddress();
  }

  public static long validity(Batch batch, int column) {
    return batch.vector(column).getValidityBufferAddress();
  }

  public static long data(FieldVector vector) {
    return vector.getDataBufferAddress();
  }

  public static long validity(FieldVector vector) {
    return vector.getValidityBufferAddress();
  }

  /** Whether the validity bitmap at {@code validity} marks row {@code row} NULL. */
  public static boolean isNull(long validity, int row) {
    return (MemoryUtil.getByte(validity + (row >>> 3)) & (1 << (row & 7))) == 0;
  }

  public static boolean bitAt(long data, int row) {
    return (MemoryUtil.getByte(data + (row >>> 3)) & (1 << (row & 7))) != 0;
  }

  public static int intAt(long data, int row) {
    return MemoryUtil.getInt(data + ((long) row << 2));
  }

  public static long longAt(long data, int row) {
    return MemoryUtil.getLong(data + ((long) row << 3));
  }

  public static double doubleAt(long data, int row) {
    return Double.longBitsToDouble(MemoryUtil.getLong(data + ((long) row << 3)));
  }

  public static void putInt(long data, int i, int value) {
    MemoryUtil.putInt(data + ((long) i << 2), value);
  }

  public static void putLong(long data, int i, long value) {
    MemoryUtil.putLong(data + ((long) i << 3), value);
  }

  public static void putDouble(long data, int i, double value) {
    MemoryUtil.putLong(data + ((long) i << 3), Double.doubleToRawLongBits(value));
  }

  /** Writes the 64 bits of rows {@code i - 63 .. i} of a bitmap ({@code i} is the last row of a word). */
  public static void putBits(long bitmap, int i, long bits) {
    MemoryUtil.putLong(bitmap + ((long) (i >>> 6) << 3), bits);
  }

  /** Writes the bits of the rows after the last whole word of a bitmap of {@code count} rows. */
  public static void putLastBits(long bitmap, int count, long bits) {
    int rest = count & 63;
    long word = bitmap + ((long) (count >>> 6) << 3);
    for (int k = 0; k * 8 < rest; k++) {
      MemoryUtil.putByte(word + k, (byte) (bits >>> (8 * k)));
    }
  }

  /** Marks the first {@code count} values of {@code vector} valid. */
  public static void setAllValid(FieldVector vector, int count) {
    MemoryUtil.setMemory(vector.getValidityBufferAddress(), (count + 7) >>> 3, (byte) 0xFF);
  }

  /**
   * Whether {@code x} is a multiple of the odd number whose inverse modulo 2^64 is {@code inverse}, {@code bound}
   * being {@code Long.MAX_VALUE} divided by that number: the multiples are exactly the {@code x} whose product with
   * the inverse lies in {@code [-bound, bound]}.
   */
  public static boolean divisible(long x, long inverse, long bound) {
    // x * inverse + bound <= 2 * bound, unsigned, written as a signed comparison of values shifted by 2^63.
    return x * inverse + bound + Long.MIN_VALUE <= 2 * bound + Long.MIN_VALUE;
  }

  /** SQL order of doubles, as the kernels compare them: -0.0 equals 0.0, NaN equals NaN and is above all numbers. */
  public static int compare(double x, double y) {
    return x == y ? 0 : Double.compare(x, y);
  }

  public static int compare(boolean x, boolean y) {
    return Boolean.compare(x, y);
  }
}
