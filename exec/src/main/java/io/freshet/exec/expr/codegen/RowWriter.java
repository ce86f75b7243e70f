package io.freshet.exec.expr.codegen;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Expr.Call;
import io.freshet.exec.expr.Expr.ColumnRef;
import io.freshet.exec.expr.Expr.Literal;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the Java statements that compute expressions for one row, {@code row}, of a batch: one final local per
 * operator, a value and, where the value may be NULL, a flag. Nullness is known at generation time where it can
 * be: a column is never NULL in the variant written for batches whose columns hold no NULL, a literal is or is
 * not NULL, so those flags are the words {@code true} and {@code false} and fold away. Every operator is computed
 * without a branch on data (SQL's AND and OR are bit logic on the flags), which is exact because no supported
 * operator can fail: integer arithmetic wraps, as the kernels' does, and division by zero is NULL.
 *
 * <p>Expressions must be in the {@linkplain io.freshet.exec.expr.VectorExpr#explicit explicit form}, where each
 * operator's operands already have the type it computes in; {@link #supports} says which this writer takes.
 */
final class RowWriter {
  /** Types held in fixed-width buffers, which the generated code reads and writes. */
  private static final Set<TypeKind> FIXED = EnumSet.of(TypeKind.BOOLEAN, TypeKind.INT, TypeKind.BIGINT,
      TypeKind.DOUBLE, TypeKind.TIMESTAMP);
  private static final Set<TypeKind> NUMBERS = EnumSet.of(TypeKind.INT, TypeKind.BIGINT, TypeKind.DOUBLE,
      TypeKind.TIMESTAMP);

  /**
   * A computed expression: {@code value} is a Java expression of its type (a local or a literal); {@code isNull}
   * is {@code true}, {@code false} or a local.
   */
  record Value(String value, String isNull, TypeKind type) { }

  private final StringBuilder out;
  private final String indent;
  private final boolean columnNulls;
  /** Expressions already computed for this row, by their typed rendering: each is computed once. */
  private final Map<String, Value> computed = new HashMap<>();
  private final Set<Integer> dataColumns = new TreeSet<>();
  private final Set<Integer> validityColumns = new TreeSet<>();
  private int locals;

  /**
   * A writer appending to {@code out} at {@code indent}; {@code columnNulls} says whether columns may hold NULL
   * (false in the variant written for batches where none does).
   */
  RowWriter(StringBuilder out, String indent, boolean columnNulls) {
    this.out = out;
    this.indent = indent;
    this.columnNulls = columnNulls;
  }

  /** Whether {@code e} (in explicit form) is made only of what this writer computes. */
  static boolean supports(Expr e) {
    if (e instanceof ColumnRef || e instanceof Literal) {
      return FIXED.contains(e.type());
    }
    if (!(e instanceof Call c)) {
      return false;
    }
    List<Expr> args = c.args();
    return switch (c.op()) {
      // A column of any type can be tested for NULL: only its validity is read.
      case IS_NULL, IS_NOT_NULL -> args.get(0) instanceof ColumnRef || supportsAll(args);
      case PLUS, MINUS, TIMES, DIVIDE, MOD -> NUMBERS.contains(c.type()) && supportsAll(args);
      case EQ, NE, LT, LE, GT, GE, AND, OR, NOT, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE -> supportsAll(args);
      case CAST -> NUMBERS.contains(c.type()) && NUMBERS.contains(args.get(0).type()) && supports(args.get(0));
      case CASE -> FIXED.contains(c.type()) && supportsAll(args);
      default -> false;
    };
  }

  private static boolean supportsAll(List<Expr> args) {
    return args.stream().allMatch(RowWriter::supports);
  }

  /** The columns whose data buffers the written code reads, as {@code data<column>}. */
  Set<Integer> dataColumns() {
    return dataColumns;
  }

  /** The columns whose validity bitmaps the written code reads, as {@code valid<column>}. */
  Set<Integer> validityColumns() {
    return validityColumns;
  }

  /** Writes the statements computing {@code e} (each subexpression once per row) and returns its value. */
  Value write(Expr e) {
    String key = Expr.render(e, i -> "$" + i, true);
    Value v = computed.get(key);
    if (v == null) {
      v = compute(e);
      computed.put(key, v);
    }
    return v;
  }

  /** A Java expression that is true when {@code v} is TRUE (not FALSE, not NULL): a filter's test. */
  static String isTrue(Value v) {
    return and(not(v.isNull()), v.value());
  }

  private Value compute(Expr e) {
    if (e instanceof ColumnRef r) {
      return column(r);
    }
    if (e instanceof Literal l) {
      return l.value() == null ? new Value(zero(l.type()), "true", l.type())
          : new Value(literal(l.value(), l.type()), "false", l.type());
    }
    Call c = (Call) e;
    return switch (c.op()) {
      case PLUS, MINUS, TIMES -> {
        Value a = write(c.args().get(0));
        Value b = write(c.args().get(1));
        String operator = c.op() == Op.PLUS ? " + " : c.op() == Op.MINUS ? " - " : " * ";
        yield new Value(local(c.type(), "(" + a.value() + operator + b.value() + ")"),
            local(or(a.isNull(), b.isNull())), c.type());
      }
      case DIVIDE, MOD -> divide(c);
      case EQ, NE, LT, LE, GT, GE -> compare(c);
      case AND, OR -> logic(c);
      case NOT -> {
        Value a = write(c.args().get(0));
        yield new Value(local(not(a.value())), a.isNull(), TypeKind.BOOLEAN);
      }
      case IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE -> nullTest(c);
      case CAST -> cast(write(c.args().get(0)), c.type());
      case CASE -> caseWhen(c);
      default -> throw new IllegalArgumentException("no generated code for " + c.op());
    };
  }

  private Value column(ColumnRef r) {
    String isNull = "false";
    if (columnNulls) {
      validityColumns.add(r.index());
      isNull = local("isNull(valid" + r.index() + ", row)");
    }
    if (!FIXED.contains(r.type())) {
      // Only its nullness is read (IS NULL of a VARCHAR column).
      return new Value("null", isNull, r.type());
    }
    dataColumns.add(r.index());
    String read = switch (r.type()) {
      case BOOLEAN -> "bitAt";
      case INT -> "intAt";
      case DOUBLE -> "doubleAt";
      default -> "longAt";
    };
    return new Value(local(r.type(), read + "(data" + r.index() + ", row)"), isNull, r.type());
  }

  /** Division and remainder: by zero they are NULL, as in the kernels; integer division cannot then fail. */
  private Value divide(Call c) {
    Value a = write(c.args().get(0));
    Value b = write(c.args().get(1));
    String operator = c.op() == Op.DIVIDE ? " / " : " % ";
    TypeKind type = c.type();
    if (c.args().get(1) instanceof Literal divisor) {
      if (divisor.value() == null || ((Number) divisor.value()).doubleValue() == 0) {
        return new Value(zero(type), "true", type);
      }
      return new Value(local(type, "(" + a.value() + operator + b.value() + ")"), a.isNull(), type);
    }
    if (type == TypeKind.DOUBLE) {
      return new Value(local(type, "(" + a.value() + operator + b.value() + ")"),
          local(or(or(a.isNull(), b.isNull()), "(" + b.value() + " == 0.0d)")), type);
    }
    String byZero = local("(" + b.value() + " == 0)");
    String one = type == TypeKind.INT ? "1" : "1L";
    return new Value(local(type, "(" + a.value() + operator + "(" + byZero + " ? " + one + " : " + b.value() + "))"),
        local(or(or(a.isNull(), b.isNull()), byZero)), type);
  }

  private Value compare(Call c) {
    Value divisible = divisibility(c);
    if (divisible != null) {
      return divisible;
    }
    Value a = write(c.args().get(0));
    Value b = write(c.args().get(1));
    String operator = switch (c.op()) {
      case EQ -> " == ";
      case NE -> " != ";
      case LT -> " < ";
      case LE -> " <= ";
      case GT -> " > ";
      default -> " >= ";
    };
    String test = a.type() == TypeKind.DOUBLE || a.type() == TypeKind.BOOLEAN
        ? "(compare(" + a.value() + ", " + b.value() + ")" + operator + "0)"
        : "(" + a.value() + operator + b.value() + ")";
    return new Value(local(test), local(or(a.isNull(), b.isNull())), TypeKind.BOOLEAN);
  }

  /**
   * {@code MOD(x, d) = 0} (or {@code <> 0}) for an integer constant {@code d}, as a test of divisibility: with
   * {@code d = m * 2^k}, {@code m} odd, {@code x} is a multiple of {@code m} exactly when {@code x} times the inverse
   * of {@code m} modulo 2^64 lies in {@code [-Q, Q]}, {@code Q = (2^63 - 1) / m} (Hacker's Delight, 10-17): one
   * multiply instead of a remainder. Null when {@code c} has another shape.
   */
  private Value divisibility(Call c) {
    if (c.op() != Op.EQ && c.op() != Op.NE || !(c.args().get(1) instanceof Literal zero) || zero.value() == null
        || ((Number) zero.value()).doubleValue() != 0 || !(c.args().get(0) instanceof Call mod)
        || mod.op() != Op.MOD || (mod.type() != TypeKind.INT && mod.type() != TypeKind.BIGINT)
        || !(mod.args().get(1) instanceof Literal divisor) || divisor.value() == null) {
      return null;
    }
    long d = Math.abs(((Number) divisor.value()).longValue());
    if (d < 2) {
      return null;
    }
    Value x = write(mod.args().get(0));
    int k = Long.numberOfTrailingZeros(d);
    long m = d >>> k;
    String test = "true";
    if (m > 1) {
      long inverse = m;
      for (int i = 0; i < 5; i++) {
        inverse *= 2 - m * inverse;
      }
      test = "divisible(" + x.value() + ", " + hex(inverse) + ", " + literal(Long.MAX_VALUE / m, TypeKind.BIGINT)
          + ")";
    }
    if (k > 0) {
      test = and(test, "((" + x.value() + " & " + literal((1L << k) - 1, TypeKind.BIGINT) + ") == 0)");
    }
    return new Value(local(c.op() == Op.EQ ? test : not(test.startsWith("(") ? test : "(" + test + ")")),
        x.isNull(), TypeKind.BOOLEAN);
  }

  private static String hex(long value) {
    return "0x" + Long.toHexString(value) + "L";
  }

  /**
   * SQL's AND and OR: {@code x AND y} is NULL when either is NULL and neither is FALSE; {@code x OR y} is NULL
   * when either is NULL and neither is TRUE.
   */
  private Value logic(Call c) {
    Value a = write(c.args().get(0));
    Value b = write(c.args().get(1));
    boolean isAnd = c.op() == Op.AND;
    // The side that decides alone: FALSE for AND, TRUE for OR.
    String decidesA = and(not(a.isNull()), isAnd ? not(a.value()) : a.value());
    String decidesB = and(not(b.isNull()), isAnd ? not(b.value()) : b.value());
    String isNull = local(and(or(a.isNull(), b.isNull()), not(or(decidesA, decidesB))));
    String value = isAnd ? and(a.value(), b.value()) : or(decidesA, decidesB);
    return new Value(local(value), isNull, TypeKind.BOOLEAN);
  }

  private Value nullTest(Call c) {
    Value a = write(c.args().get(0));
    String isTrue = and(not(a.isNull()), a.value());
    String test = switch (c.op()) {
      case IS_NULL -> a.isNull();
      case IS_NOT_NULL -> not(a.isNull());
      case IS_TRUE -> isTrue;
      case IS_NOT_TRUE -> not(isTrue);
      case IS_FALSE -> and(not(a.isNull()), not(a.value()));
      default -> not(and(not(a.isNull()), not(a.value())));
    };
    return new Value(local(test), "false", TypeKind.BOOLEAN);
  }

  /** Numeric casts, as Java's: an integer narrows by dropping high bits, a double saturates toward zero. */
  private Value cast(Value a, TypeKind to) {
    if (javaType(a.type()).equals(javaType(to))) {
      return new Value(a.value(), a.isNull(), to);
    }
    return new Value(local(to, "((" + javaType(to) + ") " + a.value() + ")"), a.isNull(), to);
  }

  /** CASE: each row takes the value of its first TRUE condition, else the ELSE value. */
  private Value caseWhen(Call c) {
    List<Expr> args = c.args();
    int branches = (args.size() - 1) / 2;
    String[] conditions = new String[branches];
    Value[] values = new Value[branches];
    for (int k = 0; k < branches; k++) {
      conditions[k] = local(isTrue(write(args.get(2 * k))));
      values[k] = write(args.get(2 * k + 1));
    }
    Value otherwise = write(args.get(args.size() - 1));
    String value = otherwise.value();
    String isNull = otherwise.isNull();
    // A local per branch, from the last: one nested conditional expression would be as deep as there are
    // branches, and Janino's parser recurses on it.
    for (int k = branches - 1; k >= 0; k--) {
      value = local(c.type(), choose(conditions[k], values[k].value(), value));
      isNull = local(choose(conditions[k], values[k].isNull(), isNull));
    }
    return new Value(value, isNull, c.type());
  }

  private static String choose(String condition, String then, String otherwise) {
    if (condition.equals("true") || then.equals(otherwise)) {
      return then;
    }
    if (condition.equals("false")) {
      return otherwise;
    }
    return "(" + condition + " ? " + then + " : " + otherwise + ")";
  }

  /** A boolean local holding {@code expression}, or the expression itself when it is a word or a literal. */
  private String local(String expression) {
    return local(TypeKind.BOOLEAN, expression);
  }

  private String local(TypeKind type, String expression) {
    if (isAtom(expression)) {
      return expression;
    }
    String name = (type == TypeKind.BOOLEAN ? "b" : "v") + locals++;
    out.append(indent).append("final ").append(javaType(type)).append(' ').append(name).append(" = ")
        .append(expression).append(";\n");
    return name;
  }

  private static boolean isAtom(String expression) {
    return expression.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '.' || ch == '_');
  }

  static String javaType(TypeKind type) {
    return switch (type) {
      case BOOLEAN -> "boolean";
      case INT -> "int";
      case DOUBLE -> "double";
      default -> "long";
    };
  }

  private static String zero(TypeKind type) {
    return switch (type) {
      case BOOLEAN -> "false";
      case INT -> "0";
      case DOUBLE -> "0.0d";
      default -> "0L";
    };
  }

  /** A Java literal of exactly {@code value}; negative numbers in parentheses. */
  static String literal(Object value, TypeKind type) {
    switch (type) {
      case BOOLEAN:
        return value.toString();
      case INT: {
        int v = ((Number) value).intValue();
        return v == Integer.MIN_VALUE ? "Integer.MIN_VALUE" : v < 0 ? "(" + v + ")" : Integer.toString(v);
      }
      case DOUBLE: {
        double d = ((Number) value).doubleValue();
        if (Double.isNaN(d)) {
          return "Double.NaN";
        }
        if (Double.isInfinite(d)) {
          return d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        // Double.toString gives the digits that read back as exactly this double.
        String digits = Double.toString(d) + "d";
        return digits.startsWith("-") ? "(" + digits + ")" : digits;
      }
      default: {
        long v = ((Number) value).longValue();
        return v == Long.MIN_VALUE ? "Long.MIN_VALUE" : v < 0 ? "(" + v + "L)" : v + "L";
      }
    }
  }

  static String and(String a, String b) {
    if (a.equals("false") || b.equals("false")) {
      return "false";
    }
    return a.equals("true") ? b : b.equals("true") ? a : "(" + a + " & " + b + ")";
  }

  static String or(String a, String b) {
    if (a.equals("true") || b.equals("true")) {
      return "true";
    }
    return a.equals("false") ? b : b.equals("false") ? a : "(" + a + " | " + b + ")";
  }

  static String not(String a) {
    if (a.equals("true") || a.equals("false")) {
      return a.equals("true") ? "false" : "true";
    }
    if (a.startsWith("!") && isAtom(a.substring(1))) {
      return a.substring(1);
    }
    return "!" + a;
  }
}
