package io.freshet.exec.expr;

import io.freshet.exec.batch.Values;
import io.freshet.exec.types.TypeKind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The Java types a user-defined function's {@code eval} may take and give, each with the engine type whose vector
 * holds its values: how a value is read from a vector into Java and written back.
 */
public enum JavaValue {
  LONG(TypeKind.BIGINT, long.class, Long.class),
  INT(TypeKind.INT, int.class, Integer.class),
  DOUBLE(TypeKind.DOUBLE, double.class, Double.class),
  FLOAT(TypeKind.DOUBLE, float.class, Float.class),
  BOOLEAN(TypeKind.BOOLEAN, boolean.class, Boolean.class),
  STRING(TypeKind.VARCHAR, null, String.class),
  DECIMAL(TypeKind.DOUBLE, null, BigDecimal.class),
  LOCAL_DATE_TIME(TypeKind.TIMESTAMP, null, LocalDateTime.class),
  INSTANT(TypeKind.TIMESTAMP, null, Instant.class);

  /** The Java types, as a user would write them, for messages. */
  public static final String SUPPORTED = "long/Long, int/Integer, double/Double, float/Float, boolean/Boolean, "
      + "String, java.math.BigDecimal, java.time.LocalDateTime or java.time.Instant";

  private final TypeKind kind;
  private final Class<?> primitive;
  private final Class<?> boxed;

  JavaValue(TypeKind kind, Class<?> primitive, Class<?> boxed) {
    this.kind = kind;
    this.primitive = primitive;
    this.boxed = boxed;
  }

  /** The engine type of the vectors that hold these values. */
  public TypeKind kind() {
    return kind;
  }

  /** The value of {@code type}, or null when Freshet cannot pass it. */
  static JavaValue of(Class<?> type) {
    for (JavaValue v : values()) {
      if (type == v.primitive || type == v.boxed) {
        return v;
      }
    }
    return null;
  }

  /** Row {@code row} of {@code v} (a vector of {@link #kind()}, not null there) as this Java type. */
  Object read(FieldVector v, int row) {
    return switch (this) {
      case LONG -> Vectors.readLong(Vectors.data(v), 8, row);
      case INT -> (int) Vectors.readLong(Vectors.data(v), 4, row);
      case DOUBLE -> Vectors.readDouble(Vectors.data(v), row);
      case FLOAT -> (float) Vectors.readDouble(Vectors.data(v), row);
      case BOOLEAN -> Vectors.bit(Vectors.data(v), row);
      case STRING -> new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
      case DECIMAL -> BigDecimal.valueOf(Vectors.readDouble(Vectors.data(v), row));
      case LOCAL_DATE_TIME -> Values.toLocalDateTime(Vectors.readLong(Vectors.data(v), 8, row));
      case INSTANT -> Instant.ofEpochMilli(Vectors.readLong(Vectors.data(v), 8, row));
    };
  }

  /** Writes {@code value} (of this Java type, not null) into row {@code i} of {@code out}, a vector of kind(). */
  void write(FieldVector out, int i, Object value) {
    switch (this) {
      case STRING -> {
        ((VarCharVector) out).setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
        return;
      }
      case LONG, INT -> Vectors.writeLong(Vectors.data(out), kind.width(), i, ((Number) value).longValue());
      case DOUBLE, FLOAT, DECIMAL -> Vectors.writeDouble(Vectors.data(out), i, ((Number) value).doubleValue());
      case BOOLEAN -> {
        if ((Boolean) value) {
          Vectors.setBit(Vectors.data(out), i);
        }
      }
      case LOCAL_DATE_TIME, INSTANT -> Vectors.writeLong(Vectors.data(out), 8, i, Values.toEpochMillis(value));
      default -> throw new IllegalStateException(name());
    }
    Vectors.setBit(Vectors.validity(out), i);
  }
}
