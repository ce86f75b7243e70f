package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * A scalar expression over the columns of a batch, as the planner hands it to the runtime. It is a plain tree;
 * {@link VectorExpr#compile(Expr)} turns it into kernels that evaluate whole columns at a time.
 */
public sealed interface Expr permits Expr.ColumnRef, Expr.Literal, Expr.Call, Expr.Invoke {

  TypeKind type();

  /** The value of input column {@code index}. */
  record ColumnRef(int index, TypeKind type) implements Expr {
    @Override
    public String toString() {
      return "$" + index;
    }
  }

  /**
   * A constant, or SQL NULL when {@code value} is null. Values are Boolean, Integer, Long, Double, String, and
   * Long milliseconds for TIMESTAMP.
   */
  record Literal(Object value, TypeKind type) implements Expr {
    @Override
    public String toString() {
      return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
  }

  /** An operator applied to arguments; {@code type} is the result type. */
  record Call(Op op, List<Expr> args, TypeKind type) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      return render(this, i -> "$" + i);
    }
  }

  /**
   * A call of a user-defined function's eval method: its arguments convert to the parameters' types; {@code type}
   * is the result's.
   */
  record Invoke(UserFunction.Overload function, List<Expr> args, TypeKind type) implements Expr {
    public Invoke {
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      return render(this, i -> "$" + i);
    }
  }

  /** This expression with {@code args} in place of its arguments (a column or a constant has none). */
  static Expr withArgs(Expr e, List<Expr> args) {
    if (e instanceof Call c) {
      return new Call(c.op(), args, c.type());
    }
    if (e instanceof Invoke i) {
      return new Invoke(i.function(), args, i.type());
    }
    return e;
  }

  /** The arguments of a call, none for a column or a constant. */
  static List<Expr> args(Expr e) {
    return e instanceof Call c ? c.args() : e instanceof Invoke i ? i.args() : List.of();
  }

  /** The expression as EXPLAIN writes it, with each column reference written as {@code column} names it. */
  static String render(Expr e, IntFunction<String> column) {
    return render(e, column, false);
  }

  /**
   * As above; {@code typed} adds each call's and constant's type ({@code CAST($0):INT}), so that expressions that
   * differ only in a type (a cast to DOUBLE or to INT) read differently.
   */
  static String render(Expr e, IntFunction<String> column, boolean typed) {
    if (e instanceof ColumnRef r) {
      return column.apply(r.index());
    }
    String type = typed ? ":" + e.type().name() : "";
    if (e instanceof Call c) {
      return c.op() + c.args().stream().map(a -> render(a, column, typed))
          .collect(Collectors.joining(", ", "(", ")")) + type;
    }
    if (e instanceof Invoke c) {
      return c.function().function().name() + c.args().stream().map(a -> render(a, column, typed))
          .collect(Collectors.joining(", ", "(", ")")) + type;
    }
    return e + type;
  }

  static Expr call(Op op, TypeKind type, Expr... args) {
    return new Call(op, List.of(args), type);
  }

  /** The operators the runtime evaluates. */
  enum Op {
    PLUS, MINUS, TIMES, DIVIDE, MOD, NEGATE, ABS,
    EQ, NE, LT, LE, GT, GE,
    AND, OR, NOT,
    IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE,
    /** Arguments: when1, then1, when2, then2, ..., else. */
    CASE,
    /** Converts its one argument to the call's type. */
    CAST,
    UPPER, LOWER,
    /** Arguments: characters to strip, string. */
    TRIM_BOTH, TRIM_LEADING, TRIM_TRAILING,
    /** Arguments: string, 1-based start[, length]. */
    SUBSTRING,
    CHAR_LENGTH,
    CONCAT,
    /** Arguments: string, pattern[, escape]; pattern and escape must be literals. */
    LIKE,
    /** Arguments: string, separator, 0-based index. */
    SPLIT_INDEX,
    /** Arguments: string, regex (a literal)[, group, default 0: the whole match]. */
    REGEXP_EXTRACT,
    /** Arguments: timestamp, format (a literal, Java's pattern letters). */
    DATE_FORMAT,
    /** No arguments: the micro-batch's processing time (a TIMESTAMP), the same for every row of the batch. */
    PROCTIME
  }
}
