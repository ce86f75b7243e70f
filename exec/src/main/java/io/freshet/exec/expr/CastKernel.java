package io.freshet.exec.expr;

import io.freshet.exec.batch.Values;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.vector.FieldVector;

/**
 * CAST between the engine's types. Numeric to numeric runs as a loop over the buffers (DOUBLE to an integer
 * truncates toward zero); conversions to and from text go value by value. Text that does not parse as the
 * target type becomes NULL, as in Spark's default (non-ANSI) mode.
 */
final class CastKernel implements VectorExpr {
  private final VectorExpr input;
  private final TypeKind type;

  CastKernel(VectorExpr input, TypeKind type) {
    this.input = input;
    this.type = type;
  }

  @Override
  public TypeKind type() {
    return type;
  }

  @Override
  public boolean isConstant() {
    return input.isConstant();
  }

  VectorExpr input() {
    return input;
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    TypeKind from = input.type();
    try (FieldVector in = input.evaluate(ctx)) {
      int n = in.getValueCount();
      FieldVector out = Vectors.allocate(type, n, ctx.allocator());
      try {
        boolean fromFixed = from != TypeKind.VARCHAR && from != TypeKind.BOOLEAN;
        boolean toFixed = type != TypeKind.VARCHAR && type != TypeKind.BOOLEAN;
        if (fromFixed && toFixed) {
          org.apache.arrow.memory.util.MemoryUtil.copyMemory(Vectors.validity(in), Vectors.validity(out),
              Vectors.validityBytes(n));
          long a = Vectors.data(in);
          long o = Vectors.data(out);
          if (from == TypeKind.DOUBLE && type == TypeKind.DOUBLE) {
            org.apache.arrow.memory.util.MemoryUtil.copyMemory(a, o, 8L * n);
          } else if (from == TypeKind.DOUBLE) {
            // Java's double-to-int and double-to-long conversions saturate, as Spark's casts do.
            boolean toInt = type == TypeKind.INT;
            for (int i = 0; i < n; i++) {
              double d = Vectors.readDouble(a, i);
              Vectors.writeLong(o, type.width(), i, toInt ? (int) d : (long) d);
            }
          } else if (type == TypeKind.DOUBLE) {
            for (int i = 0; i < n; i++) {
              Vectors.writeDouble(o, i, Vectors.readLong(a, from.width(), i));
            }
          } else {
            for (int i = 0; i < n; i++) {
              Vectors.writeLong(o, type.width(), i, Vectors.readLong(a, from.width(), i));
            }
          }
        } else {
          for (int i = 0; i < n; i++) {
            Values.set(out, type, i, convert(Values.get(in, from, i), type));
          }
        }
        out.setValueCount(n);
        return out;
      } catch (RuntimeException | Error e) {
        out.close();
        throw e;
      }
    }
  }

  /** Converts one boxed value; used for text and boolean conversions and by the compiler to fold literals. */
  static Object convert(Object value, TypeKind to) {
    if (value == null) {
      return null;
    }
    try {
      return switch (to) {
        case VARCHAR -> value instanceof Boolean b ? (b ? "TRUE" : "FALSE") : Values.format(value);
        case BOOLEAN -> value instanceof Boolean b ? b
            : value instanceof Number n ? n.doubleValue() != 0 : parseBoolean(value.toString());
        case INT -> value instanceof Boolean b ? (b ? 1 : 0)
            : value instanceof Double d ? (Object) (int) d.doubleValue()
            : value instanceof Number n ? (Object) n.intValue() : intOrNull(parseLong(value.toString()));
        case BIGINT -> value instanceof Boolean b ? (b ? 1L : 0L)
            : value instanceof Double d ? (Object) (long) d.doubleValue()
            : value instanceof Number n ? (Object) n.longValue()
            // A timestamp constant is its milliseconds, as a timestamp column's values are.
            : value instanceof java.time.temporal.Temporal ? (Object) Values.toEpochMillis(value)
            : (Object) parseLong(value.toString());
        case DOUBLE -> value instanceof Boolean b ? (b ? 1.0 : 0.0)
            : value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
        case TIMESTAMP -> Values.toLocalDateTime(Values.toEpochMillis(value));
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The boxed form kernels expect for a literal of {@code type}; fails when the literal does not fit. */
  static Object convertLiteral(Object value, TypeKind type) {
    Object converted = convert(value, type);
    if (converted == null) {
      throw io.freshet.streaming.FreshetException.user("The literal '" + value + "' is not a valid " + type.sqlName());
    }
    return converted;
  }

  /** Text beyond the INT range is not an INT: NULL, as Spark's default mode. */
  private static Integer intOrNull(long value) {
    return value == (int) value ? (Integer) (int) value : null;
  }

  /** An integer from text: exact for integers, truncated toward zero for decimals such as '2.7'. */
  private static long parseLong(String text) {
    String t = text.trim();
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return (long) Double.parseDouble(t);
    }
  }

  private static Boolean parseBoolean(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("true")) {
      return true;
    }
    if (t.equalsIgnoreCase("false")) {
      return false;
    }
    return null;
  }
}
