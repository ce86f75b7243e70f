package io.freshet.sql;

import io.freshet.planner.logical.Expression;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelectKeyword;

/**
 * The column functions of the Java API, as Spark's {@code org.apache.spark.sql.functions}: {@code import static
 * io.freshet.sql.functions.*;} then {@code col("price")}, {@code sum("price")}, {@code window(col("ts"), "10
 * seconds")}.
 */
@SuppressWarnings("checkstyle:TypeName")
public final class functions {
  /** An expression ending in {@code AS name} (outside parentheses, as it ends with the name). */
  private static final Pattern ALIASED = Pattern.compile("(?is)(.*\\S)\\s+AS\\s+(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\\s*");

  private functions() {
  }

  /** The column {@code name}; {@code "alias.name"} is a column of the Dataset aliased so ({@link Dataset#as}). */
  public static Column col(String name) {
    if (name.equals("*")) {
      return new Column(new Expression.Star());
    }
    int dot = name.indexOf('.');
    if (dot > 0) {
      return new Column(new Expression.Ref(name.substring(0, dot), name.substring(dot + 1)));
    }
    return new Column(new Expression.Ref(null, name));
  }

  public static Column column(String name) {
    return col(name);
  }

  /** A constant: a String, Boolean, Integer, Long, Double, BigDecimal or java.sql.Timestamp (or a Column). */
  public static Column lit(Object value) {
    return new Column(Column.of(value));
  }

  /**
   * A SQL expression, as Freshet's SQL writes it ({@code expr("price * 2 AS doubled")}, {@code expr("UPPER(name)")},
   * {@code expr("sum(price)")} in {@code agg(...)}).
   */
  public static Column expr(String sql) {
    Matcher aliased = ALIASED.matcher(sql);
    String text = aliased.matches() ? aliased.group(1).trim() : sql.trim();
    String alias = aliased.matches() ? aliased.group(2).replace("`", "") : null;
    SqlNode node = FreshetParser.parseExpression(text);
    Expression e = aggregate(node, text);
    if (e == null) {
      e = new Expression.Sql(() -> FreshetParser.parseExpression(text), text);
    }
    return new Column(alias == null ? e : new Expression.Alias(e, alias));
  }

  /** An aggregate call written in SQL ({@code sum(price)}, {@code COUNT(DISTINCT id)}), or null for another one. */
  private static Expression aggregate(SqlNode node, String text) {
    if (!(node instanceof SqlBasicCall call) || !call.getOperator().isAggregator() && !isAggregateName(call)) {
      return null;
    }
    boolean distinct = call.getFunctionQuantifier() != null
        && call.getFunctionQuantifier().getValue() == SqlSelectKeyword.DISTINCT;
    if (call.operandCount() > 1) {
      throw FreshetException.user("expr(\"" + text + "\"): aggregates of the Java API take one argument");
    }
    SqlNode operand = call.operandCount() == 0 ? null : call.operand(0);
    Expression argument = operand == null || operand.getKind() == SqlKind.IDENTIFIER
        && ((SqlIdentifier) operand).isStar() ? null
        : new Expression.Sql(() -> ((SqlBasicCall) FreshetParser.parseExpression(text)).operand(0),
            operand.toString());
    return new Expression.Aggregate(call.getOperator().getName(), argument, distinct);
  }

  private static boolean isAggregateName(SqlBasicCall call) {
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    return List.of("COUNT", "SUM", "AVG", "MIN", "MAX").contains(name);
  }

  /** The number of rows ({@code count("*")}) or of non-null values of a column. */
  public static Column count(String column) {
    return column.equals("*") ? new Column(new Expression.Aggregate("COUNT", null, false)) : count(col(column));
  }

  public static Column count(Column column) {
    Expression e = column.expression();
    return new Column(new Expression.Aggregate("COUNT", e instanceof Expression.Star ? null : e, false));
  }

  /** The number of distinct non-null values. */
  public static Column countDistinct(String column) {
    return countDistinct(col(column));
  }

  public static Column countDistinct(Column column) {
    return new Column(new Expression.Aggregate("COUNT", column.expression(), true));
  }

  public static Column sum(String column) {
    return sum(col(column));
  }

  public static Column sum(Column column) {
    return aggregate("SUM", column);
  }

  public static Column avg(String column) {
    return avg(col(column));
  }

  public static Column avg(Column column) {
    return aggregate("AVG", column);
  }

  public static Column mean(String column) {
    return avg(column);
  }

  public static Column min(String column) {
    return min(col(column));
  }

  public static Column min(Column column) {
    return aggregate("MIN", column);
  }

  public static Column max(String column) {
    return max(col(column));
  }

  public static Column max(Column column) {
    return aggregate("MAX", column);
  }

  private static Column aggregate(String function, Column column) {
    return new Column(new Expression.Aggregate(function, column.expression(), false));
  }

  /**
   * The tumbling window of {@code duration} ({@code "10 seconds"}) each row falls in by the event-time column
   * {@code timeColumn}: a grouping key, {@code groupBy(window(col("ts"), "10 seconds"), col("word"))}, giving
   * columns {@code window_start} and {@code window_end} (Spark's {@code window.start} and {@code window.end}).
   */
  public static Column window(Column timeColumn, String duration) {
    return window(timeColumn, duration, duration);
  }

  /** The hopping windows of {@code duration}, one starting every {@code slide}, each row falls in. */
  public static Column window(Column timeColumn, String duration, String slide) {
    return window(timeColumn, duration, slide, "0 seconds");
  }

  /** As above, windows starting {@code startTime} after the multiples of {@code slide}. */
  public static Column window(Column timeColumn, String duration, String slide, String startTime) {
    return new Column(new Expression.Window(timeColumn.expression(), interval(duration, "duration"),
        interval(slide, "slide"), interval(startTime, "startTime")));
  }

  /**
   * The session window of each row by the event-time column {@code timeColumn}: rows of a key less than
   * {@code gap} apart are one session. A grouping key; the other keys of the groupBy are the session's key.
   */
  public static Column session_window(Column timeColumn, String gap) {
    return new Column(new Expression.SessionWindow(timeColumn.expression(), interval(gap, "gap")));
  }

  private static long interval(String text, String what) {
    try {
      return Trigger.parseIntervalMs(text);
    } catch (FreshetException e) {
      throw FreshetException.user("window " + what + ": " + e.getMessage(), e);
    }
  }

  /** The SQL function {@code name} (as SHOW FUNCTIONS lists them) applied to the columns. */
  public static Column call_function(String name, Column... columns) {
    List<Expression> operands = new ArrayList<>();
    for (Column c : columns) {
      operands.add(c.expression());
    }
    return new Column(new Expression.Call(name, operands));
  }

  public static Column upper(Column column) {
    return call_function("UPPER", column);
  }

  public static Column lower(Column column) {
    return call_function("LOWER", column);
  }

  public static Column abs(Column column) {
    return call_function("ABS", column);
  }

  public static Column coalesce(Column... columns) {
    return call_function("COALESCE", columns);
  }

  public static Column concat(Column... columns) {
    return call_function("CONCAT", columns);
  }

  public static Column not(Column column) {
    return new Column(new Expression.Call("NOT", List.of(column.expression())));
  }
}
