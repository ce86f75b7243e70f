package io.freshet.sql;

import io.freshet.planner.logical.Expression;
import java.util.ArrayList;
import java.util.List;

/**
 * A column expression of the Java API, as Spark's {@code Column}: made by {@link functions#col}, {@link
 * functions#lit}, {@link functions#expr}, the aggregate functions of {@link functions}, or {@link Dataset#col}, and
 * combined with the methods here ({@code col("price").multiply(2).as("doubled")}). Its names are looked up when the
 * Dataset operation that takes it is applied. Arguments that are not Columns are literals.
 */
public final class Column {
  private final Expression expression;

  Column(Expression expression) {
    this.expression = expression;
  }

  Expression expression() {
    return expression;
  }

  static Expression of(Object value) {
    return value instanceof Column c ? c.expression : new Expression.Literal(value);
  }

  private Column binary(String operator, Object other) {
    return new Column(new Expression.Call(operator, List.of(expression, of(other))));
  }

  private Column unary(String operator) {
    return new Column(new Expression.Call(operator, List.of(expression)));
  }

  public Column plus(Object other) {
    return binary("+", other);
  }

  public Column minus(Object other) {
    return binary("-", other);
  }

  public Column multiply(Object other) {
    return binary("*", other);
  }

  /** Division as Freshet's SQL divides: integers give an integer. */
  public Column divide(Object other) {
    return binary("/", other);
  }

  public Column mod(Object other) {
    return binary("%", other);
  }

  public Column equalTo(Object other) {
    return binary("=", other);
  }

  public Column notEqual(Object other) {
    return binary("<>", other);
  }

  public Column gt(Object other) {
    return binary(">", other);
  }

  public Column geq(Object other) {
    return binary(">=", other);
  }

  public Column lt(Object other) {
    return binary("<", other);
  }

  public Column leq(Object other) {
    return binary("<=", other);
  }

  public Column and(Column other) {
    return binary("AND", other);
  }

  public Column or(Column other) {
    return binary("OR", other);
  }

  public Column isNull() {
    return unary("IS NULL");
  }

  public Column isNotNull() {
    return unary("IS NOT NULL");
  }

  /** SQL's LIKE: {@code %} matches any characters, {@code _} one. */
  public Column like(String pattern) {
    return binary("LIKE", pattern);
  }

  /** Whether the value is one of {@code values}. */
  public Column isin(Object... values) {
    List<Expression> operands = new ArrayList<>();
    operands.add(expression);
    for (Object v : values) {
      operands.add(of(v));
    }
    return new Column(new Expression.Call("IN", operands));
  }

  /** The value as SQL type {@code type}: {@code "BIGINT"}, {@code "STRING"}, {@code "TIMESTAMP"}, ... */
  public Column cast(String type) {
    return new Column(new Expression.Cast(expression, type));
  }

  /** This column named {@code alias} in the result. */
  public Column as(String alias) {
    return new Column(new Expression.Alias(expression, alias));
  }

  public Column alias(String alias) {
    return as(alias);
  }

  public Column name(String alias) {
    return as(alias);
  }

  /** The name the column gets in a result when nothing names it ({@code (price * 2)}, {@code sum(price)}). */
  @Override
  public String toString() {
    return expression.name();
  }
}
