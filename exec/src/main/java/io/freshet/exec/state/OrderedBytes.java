package io.freshet.exec.state;

import io.freshet.exec.batch.Values;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Values as bytes whose unsigned order is the values' order (nulls lowest), for keys of a {@link KeyValueState}
 * that are scanned in order: a null flag, then a number big-endian with its sign bit flipped (a double's bits
 * flipped as IEEE order needs), or a string's UTF-8 bytes with 0 written as 0 255 and ended by 0 0, so that no
 * encoding is a prefix of another. A descending value is written with every byte inverted. Ascending encodings
 * also read back ({@link #read}).
 */
public final class OrderedBytes {
  private OrderedBytes() {
  }

  /** Appends {@code value} (boxed as {@link Values} boxes a {@code type}) to {@code out}. */
  public static void put(ByteSink out, Object value, TypeKind type, boolean descending) {
    int start = out.length();
    if (value == null) {
      out.put((byte) 0);
    } else {
      out.put((byte) 1);
      switch (type) {
        case BOOLEAN -> out.put((byte) (((Boolean) value) ? 1 : 0));
        case INT -> putBits(out, ((Number) value).intValue() ^ Integer.MIN_VALUE, 4);
        case BIGINT -> putBits(out, ((Number) value).longValue() ^ Long.MIN_VALUE, 8);
        case TIMESTAMP -> putBits(out, Values.toEpochMillis(value) ^ Long.MIN_VALUE, 8);
        case DOUBLE -> putDouble(out, ((Number) value).doubleValue());
        case VARCHAR -> putString(out, ((String) value).getBytes(StandardCharsets.UTF_8));
      }
    }
    invertFrom(out, start, descending);
  }

  /** Appends row {@code row} of {@code vector}, of {@code type}, to {@code out}, as {@link #put} would box it. */
  public static void put(ByteSink out, FieldVector vector, TypeKind type, int row, boolean descending) {
    int start = out.length();
    if (vector.isNull(row)) {
      out.put((byte) 0);
    } else {
      out.put((byte) 1);
      long data = Vectors.data(vector);
      switch (type) {
        case BOOLEAN -> out.put((byte) (Vectors.bit(data, row) ? 1 : 0));
        case INT -> putBits(out, (int) Vectors.readLong(data, 4, row) ^ Integer.MIN_VALUE, 4);
        case BIGINT, TIMESTAMP -> putBits(out, Vectors.readLong(data, 8, row) ^ Long.MIN_VALUE, 8);
        case DOUBLE -> putDouble(out, Vectors.readDouble(data, row));
        case VARCHAR -> putString(out, ((VarCharVector) vector).get(row));
      }
    }
    invertFrom(out, start, descending);
  }

  private static void putDouble(ByteSink out, double value) {
    long bits = Double.doubleToLongBits(value);
    putBits(out, bits < 0 ? ~bits : bits ^ Long.MIN_VALUE, 8);
  }

  private static void putString(ByteSink out, byte[] utf8) {
    for (byte b : utf8) {
      out.put(b);
      if (b == 0) {
        out.put((byte) 0xFF);
      }
    }
    out.put((byte) 0);
    out.put((byte) 0);
  }

  /** A descending value is written with every byte inverted. */
  private static void invertFrom(ByteSink out, int start, boolean descending) {
    if (descending) {
      byte[] array = out.array();
      for (int i = start; i < out.length(); i++) {
        array[i] = (byte) ~array[i];
      }
    }
  }

  /** Appends {@code v} as 8 bytes (no null flag) that sort as the number does. */
  public static void putLong(ByteSink out, long v) {
    putBits(out, v ^ Long.MIN_VALUE, 8);
  }

  /** Reads 8 bytes {@link #putLong} wrote at {@code at}. */
  public static long getLong(byte[] bytes, int at) {
    return bits(bytes, at, 8) ^ Long.MIN_VALUE;
  }

  /** Appends each of {@code values}, ascending. */
  public static void putAll(ByteSink out, Object[] values, TypeKind[] types) {
    for (int i = 0; i < values.length; i++) {
      put(out, values[i], types[i], false);
    }
  }

  /** The bytes of {@code out} so far, as an array of their own. */
  public static byte[] bytes(ByteSink out) {
    return Arrays.copyOf(out.array(), out.length());
  }

  /** Reads back values of {@code types} written ascending from {@code bytes}, starting at {@code from}. */
  public static Object[] read(byte[] bytes, int from, TypeKind[] types) {
    Object[] values = new Object[types.length];
    int p = from;
    for (int i = 0; i < types.length; i++) {
      if (bytes[p++] == 0) {
        continue;
      }
      switch (types[i]) {
        case BOOLEAN -> values[i] = bytes[p++] == 1;
        case INT -> {
          values[i] = (int) (bits(bytes, p, 4) ^ Integer.MIN_VALUE);
          p += 4;
        }
        case BIGINT -> {
          values[i] = bits(bytes, p, 8) ^ Long.MIN_VALUE;
          p += 8;
        }
        case TIMESTAMP -> {
          values[i] = Values.toLocalDateTime(bits(bytes, p, 8) ^ Long.MIN_VALUE);
          p += 8;
        }
        case DOUBLE -> {
          long b = bits(bytes, p, 8);
          values[i] = Double.longBitsToDouble(b < 0 ? b ^ Long.MIN_VALUE : ~b);
          p += 8;
        }
        case VARCHAR -> {
          byte[] text = new byte[bytes.length - p];
          int n = 0;
          while (!(bytes[p] == 0 && bytes[p + 1] == 0)) {
            text[n++] = bytes[p];
            p += bytes[p] == 0 ? 2 : 1;
          }
          p += 2;
          values[i] = new String(text, 0, n, StandardCharsets.UTF_8);
        }
      }
    }
    return values;
  }

  private static void putBits(ByteSink out, long v, int width) {
    for (int i = width - 1; i >= 0; i--) {
      out.put((byte) (v >>> (i * 8)));
    }
  }

  private static long bits(byte[] b, int p, int width) {
    long v = 0;
    for (int i = 0; i < width; i++) {
      v = (v << 8) | (b[p + i] & 0xFF);
    }
    return v;
  }
}
