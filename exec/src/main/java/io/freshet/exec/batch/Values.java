package io.freshet.exec.batch;

import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;

/** Boxed access to single values, for the edges of the engine: building small batches, display, tests. */
public final class Values {
  /** The timestamp text form used in CSV output and accepted in literals: {@code yyyy-MM-dd HH:mm:ss.SSS}. */
  public static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private Values() { }

  public static Object get(FieldVector v, TypeKind type, int row) {
    if (v.isNull(row)) {
      return null;
    }
    return switch (type) {
      case BOOLEAN -> ((BitVector) v).get(row) != 0;
      case INT -> ((IntVector) v).get(row);
      case BIGINT -> ((BigIntVector) v).get(row);
      case DOUBLE -> ((Float8Vector) v).get(row);
      case VARCHAR -> new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
      case TIMESTAMP -> toLocalDateTime(((TimeStampMilliVector) v).get(row));
    };
  }

  /** Writes a boxed value (or null) into row {@code row}, growing the vector as needed. */
  public static void set(FieldVector v, TypeKind type, int row, Object value) {
    if (value == null) {
      if (type == TypeKind.VARCHAR) {
        ((VarCharVector) v).setNull(row);
      } else {
        // setNull does not grow fixed-width vectors: make room first.
        while (row >= v.getValueCapacity()) {
          v.reAlloc();
        }
        v.setNull(row);
      }
      return;
    }
    switch (type) {
      case BOOLEAN -> ((BitVector) v).setSafe(row, ((Boolean) value) ? 1 : 0);
      case INT -> ((IntVector) v).setSafe(row, ((Number) value).intValue());
      case BIGINT -> ((BigIntVector) v).setSafe(row, ((Number) value).longValue());
      case DOUBLE -> ((Float8Vector) v).setSafe(row, ((Number) value).doubleValue());
      case VARCHAR -> ((VarCharVector) v).setSafe(row, value.toString().getBytes(StandardCharsets.UTF_8));
      case TIMESTAMP -> ((TimeStampMilliVector) v).setSafe(row, toEpochMillis(value));
      default -> throw new IllegalStateException(type.toString());
    }
  }

  public static LocalDateTime toLocalDateTime(long epochMillis) {
    // Not ofInstant(..., UTC): that builds the offset's ZoneRules on every call.
    long seconds = Math.floorDiv(epochMillis, 1000L);
    int nanos = (int) Math.floorMod(epochMillis, 1000L) * 1_000_000;
    return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
  }

  /** Milliseconds of a LocalDateTime (read as UTC), an Instant, a number, or text {@code yyyy-MM-dd HH:mm:ss[.SSS]}. */
  public static long toEpochMillis(Object value) {
    if (value instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (value instanceof Instant i) {
      return i.toEpochMilli();
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String s) {
      return LocalDateTime.parse(s.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    throw new IllegalArgumentException("not a timestamp: " + value);
  }

  /**
   * Text of a value for people to read (the shell's tables and CSV): a DOUBLE with at most 15 significant digits,
   * in plain notation between 1e-6 and 1e15 (so {@code 33483841.116}, and a sum of {@code 1911.34} that binary
   * floating point makes {@code 1911.3400000000001} shows as {@code 1911.34}), a timestamp as
   * {@code yyyy-MM-dd HH:mm:ss.SSS}, anything else as {@link #format}.
   */
  public static String display(Object value) {
    if (!(value instanceof Double d) || d.isNaN() || d.isInfinite()) {
      return format(value);
    }
    if (d == 0) {
      return "0.0";
    }
    java.math.BigDecimal rounded = new java.math.BigDecimal(d).round(new java.math.MathContext(15))
        .stripTrailingZeros();
    int magnitude = rounded.precision() - rounded.scale() - 1;
    if (magnitude >= 15 || magnitude < -6) {
      return Double.toString(rounded.doubleValue());
    }
    String plain = rounded.toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }

  /** Text of a value as the console sink and CAST to VARCHAR write it (Java's, as Spark's). */
  public static String format(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof LocalDateTime t) {
      return TIMESTAMP_FORMAT.format(t);
    }
    return value.toString();
  }
}
