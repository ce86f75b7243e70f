package io.freshet.exec.format;

import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the text of one field (a CSV field, a JSON string) into its column's slot of a {@link RowBuffer}, by the
 * column's type: a VARCHAR as it is, other types with surrounding spaces trimmed (integers digit by digit, without
 * a String; booleans as true/false in any case; timestamps by the format's pattern). A value that does not parse
 * yields an error naming the column, what it needs and what it got.
 */
final class TextValueParser {
  private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  private final RowSchema schema;
  private final TimestampFormat timestampFormat;

  TextValueParser(RowSchema schema, TimestampFormat timestampFormat) {
    this.schema = schema;
    this.timestampFormat = timestampFormat;
  }

  /**
   * Parses the {@code len} bytes at {@code off} of the row's scratch bytes into column {@code column}; returns an
   * error or null.
   */
  String parse(RowBuffer row, int column, int off, int len) {
    TypeKind type = schema.type(column);
    if (type == TypeKind.VARCHAR) {
      row.setScratchString(column, off, len);
      return null;
    }
    byte[] b = row.scratch();
    while (len > 0 && b[off] == ' ') {
      off++;
      len--;
    }
    while (len > 0 && b[off + len - 1] == ' ') {
      len--;
    }
    switch (type) {
      case INT, BIGINT -> {
        long v = parseLong(b, off, len);
        boolean bad = v == Long.MIN_VALUE && !(len == 20 && b[off] == '-' && Arrays.equals(b, off, off + len,
            LONG_MIN, 0, 20));
        if (bad || (type == TypeKind.INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE))) {
          return notA(column, b, off, len, type == TypeKind.INT ? "an INT" : "a BIGINT");
        }
        row.setLong(column, v);
      }
      case DOUBLE -> {
        try {
          row.setDouble(column, Double.parseDouble(new String(b, off, len, StandardCharsets.ISO_8859_1)));
        } catch (NumberFormatException e) {
          return notA(column, b, off, len, "a number");
        }
      }
      case BOOLEAN -> {
        if (len == 4 && (b[off] | 0x20) == 't' && (b[off + 1] | 0x20) == 'r' && (b[off + 2] | 0x20) == 'u'
            && (b[off + 3] | 0x20) == 'e') {
          row.setLong(column, 1);
        } else if (len == 5 && (b[off] | 0x20) == 'f' && (b[off + 1] | 0x20) == 'a' && (b[off + 2] | 0x20) == 'l'
            && (b[off + 3] | 0x20) == 's' && (b[off + 4] | 0x20) == 'e') {
          row.setLong(column, 0);
        } else {
          return notA(column, b, off, len, "true or false");
        }
      }
      case TIMESTAMP -> {
        try {
          row.setLong(column, timestampFormat.parse(b, off, len));
        } catch (IllegalArgumentException e) {
          return notA(column, b, off, len, "a timestamp of the form " + timestampFormat.pattern());
        }
      }
      default -> throw new IllegalStateException(type.name());
    }
    return null;
  }

  private String notA(int column, byte[] b, int off, int len, String what) {
    return "column " + schema.column(column).name() + " needs " + what + ", got '"
        + MalformedRecordPolicy.preview(b, off, len) + "'";
  }

  /**
   * The value of decimal digits with an optional sign, or Long.MIN_VALUE when they are not that (the caller tells
   * Long.MIN_VALUE itself apart).
   */
  private static long parseLong(byte[] b, int off, int len) {
    if (len == 0) {
      return Long.MIN_VALUE;
    }
    boolean negative = b[off] == '-';
    int i = negative || b[off] == '+' ? 1 : 0;
    if (i == len || len - i > 19) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (; i < len; i++) {
      int d = b[off + i] - '0';
      if (d < 0 || d > 9) {
        return Long.MIN_VALUE;
      }
      long next = v * 10 - d;
      if (next > v) {
        return Long.MIN_VALUE;
      }
      v = next;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return Long.MIN_VALUE;
      }
      v = -v;
    }
    return v;
  }
}
