package io.freshet.planner.logical;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.calcite.sql.SqlNode;

/**
 * An expression of the Java API ({@code col("price").multiply(2)}, {@code sum("price")}, {@code window(...)}),
 * unresolved: its names are looked up in the columns of the Dataset it is applied to when the logical plan is built
 * ({@link FrameBuilder}). {@link #name()} is the column name the result gets when nothing names it, as Spark's.
 */
public sealed interface Expression {

  /** The column {@code name}, of the Dataset aliased {@code qualifier} when that is not null. */
  record Ref(String qualifier, String name) implements Expression {
    @Override
    public String name() {
      return name;
    }
  }

  /** The column {@code name} of the Dataset whose plan is {@code owner} ({@code df.col("id")}, for joins). */
  record DatasetRef(Frame owner, String name) implements Expression {
    @Override
    public String name() {
      return name;
    }
  }

  /**
   * The column at {@code index} of the input, named {@code name} there: what {@code withColumn}, {@code drop} and
   * {@code withColumnRenamed} keep, which may share a name with another (the two sides of a join).
   */
  record Position(int index, String name) implements Expression {
  }

  /** Every column of the input ({@code "*"}). */
  record Star() implements Expression {
    @Override
    public String name() {
      return "*";
    }
  }

  /** A constant: a String, Boolean, Integer, Long, Double, BigDecimal, java.sql.Timestamp, or null. */
  record Literal(Object value) implements Expression {
    @Override
    public String name() {
      return String.valueOf(value);
    }
  }

  /**
   * An operator ({@code +}, {@code =}, {@code AND}, {@code IS NULL}, ...) or a SQL function ({@code UPPER},
   * {@code CONCAT}, ...) applied to operands.
   */
  record Call(String operator, List<Expression> operands) implements Expression {
    public Call {
      operands = List.copyOf(operands);
    }

    @Override
    public String name() {
      boolean infix = operands.size() == 2 && !Character.isLetter(operator.charAt(0))
          || operator.equals("AND") || operator.equals("OR");
      if (infix) {
        return "(" + operands.get(0).name() + " " + operator + " " + operands.get(1).name() + ")";
      }
      if (operator.startsWith("IS ")) {
        return "(" + operands.get(0).name() + " " + operator + ")";
      }
      return operator.toLowerCase(Locale.ROOT) + "(" + operands.stream().map(Expression::name)
          .collect(Collectors.joining(", ")) + ")";
    }
  }

  /** {@code operand} converted to a SQL type ({@code BIGINT}, {@code VARCHAR}, {@code TIMESTAMP}, ...). */
  record Cast(Expression operand, String type) implements Expression {
    @Override
    public String name() {
      return operand.name();
    }
  }

  /** {@code operand} named {@code alias}. */
  record Alias(Expression operand, String alias) implements Expression {
    @Override
    public String name() {
      return alias;
    }
  }

  /** An aggregate function (COUNT, SUM, AVG, MIN, MAX) of {@code operand}; COUNT of null is {@code COUNT(*)}. */
  record Aggregate(String function, Expression operand, boolean distinct) implements Expression {
    @Override
    public String name() {
      return function.toLowerCase(Locale.ROOT) + "(" + (distinct ? "DISTINCT " : "")
          + (operand == null ? "1" : operand.name()) + ")";
    }
  }

  /**
   * A SQL expression given as text ({@code expr("price * 2")}): {@code expression} parses it anew at each call, as
   * Calcite's validator rewrites the nodes it validates.
   */
  record Sql(Supplier<SqlNode> expression, String text) implements Expression {
    @Override
    public String name() {
      return text;
    }
  }

  /**
   * Spark's {@code window(time, size, slide, start)} as a grouping key: the tumbling (slide = size) or hopping
   * window of each row by its event time, which groups by {@code window_start} and {@code window_end}.
   */
  record Window(Expression time, long sizeMs, long slideMs, long offsetMs) implements Expression {
    @Override
    public String name() {
      return "window";
    }
  }

  /** Spark's {@code session_window(time, gap)} as a grouping key: the other keys are the session's key. */
  record SessionWindow(Expression time, long gapMs) implements Expression {
    @Override
    public String name() {
      return "session_window";
    }
  }

  /** The column name the result gets unless an alias names it. */
  String name();
}
