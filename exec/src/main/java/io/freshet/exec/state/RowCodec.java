package io.freshet.exec.state;

import io.freshet.exec.format.ByteSink;
import java.util.List;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One row of some vectors as bytes, for a key-value store: per column a null flag, then 8 bytes for a long,
 * timestamp or double, 4 for an int, 1 for a boolean, or a length and the bytes of a string or binary. The same
 * values always give the same bytes, so encoded keys can be looked up.
 */
final class RowCodec {
  private RowCodec() {
  }

  static void encode(List<FieldVector> vectors, int row, ByteSink out) {
    for (FieldVector v : vectors) {
      if (v.isNull(row)) {
        out.put((byte) 0);
        continue;
      }
      out.put((byte) 1);
      if (v instanceof BigIntVector b) {
        putLong(out, b.get(row));
      } else if (v instanceof TimeStampMilliVector t) {
        putLong(out, t.get(row));
      } else if (v instanceof Float8Vector d) {
        putLong(out, Double.doubleToRawLongBits(d.get(row)));
      } else if (v instanceof IntVector i) {
        putInt(out, i.get(row));
      } else if (v instanceof BitVector bit) {
        out.put((byte) bit.get(row));
      } else if (v instanceof BaseVariableWidthVector var) {
        int start = var.getStartOffset(row);
        int length = var.getEndOffset(row) - start;
        putInt(out, length);
        byte[] bytes = new byte[length];
        var.getDataBuffer().getBytes(start, bytes, 0, length);
        out.put(bytes, 0, length);
      } else {
        throw new IllegalStateException("no row encoding for " + v.getClass().getSimpleName());
      }
    }
  }

  /**
   * Decodes {@code bytes} from {@code offset} on into row {@code row} of {@code vectors} (allocated by the caller;
   * set with setSafe), and returns where the row's bytes end.
   */
  static int decode(byte[] bytes, int offset, List<FieldVector> vectors, int row) {
    int p = offset;
    for (FieldVector v : vectors) {
      if (bytes[p++] == 0) {
        v.setNull(row);
        continue;
      }
      if (v instanceof BigIntVector b) {
        b.setSafe(row, getLong(bytes, p));
        p += 8;
      } else if (v instanceof TimeStampMilliVector t) {
        t.setSafe(row, getLong(bytes, p));
        p += 8;
      } else if (v instanceof Float8Vector d) {
        d.setSafe(row, Double.longBitsToDouble(getLong(bytes, p)));
        p += 8;
      } else if (v instanceof IntVector i) {
        i.setSafe(row, getInt(bytes, p));
        p += 4;
      } else if (v instanceof BitVector bit) {
        bit.setSafe(row, bytes[p++]);
      } else if (v instanceof VarCharVector s) {
        int length = getInt(bytes, p);
        s.setSafe(row, bytes, p + 4, length);
        p += 4 + length;
      } else if (v instanceof VarBinaryVector s) {
        int length = getInt(bytes, p);
        s.setSafe(row, bytes, p + 4, length);
        p += 4 + length;
      } else {
        throw new IllegalStateException("no row decoding for " + v.getClass().getSimpleName());
      }
    }
    return p;
  }

  private static void putLong(ByteSink out, long v) {
    for (int i = 7; i >= 0; i--) {
      out.put((byte) (v >>> (i * 8)));
    }
  }

  private static void putInt(ByteSink out, int v) {
    for (int i = 3; i >= 0; i--) {
      out.put((byte) (v >>> (i * 8)));
    }
  }

  private static long getLong(byte[] b, int p) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[p + i] & 0xFF);
    }
    return v;
  }

  private static int getInt(byte[] b, int p) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (b[p + i] & 0xFF);
    }
    return v;
  }
}
