package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Calcite's parser as Freshet configures it: identifiers keep the case they are written in and match ignoring
 * case (as in Spark), back-ticks quote identifiers (as in Flink and Spark).
 */
public final class SqlParsers {
  public static final SqlParser.Config CONFIG = SqlParser.config()
      .withQuoting(Quoting.BACK_TICK)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false)
      .withConformance(SqlConformanceEnum.LENIENT);

  private SqlParsers() { }

  /**
   * Pads {@code sql} so that positions Calcite reports count from {@code line}:{@code column} of the script the
   * text came from.
   */
  public static String positioned(String sql, int line, int column) {
    return "\n".repeat(Math.max(0, line - 1)) + " ".repeat(Math.max(0, column - 1)) + sql;
  }

  public static SqlNode parseStatement(String sql) {
    try {
      return SqlParser.create(sql, CONFIG).parseStmt();
    } catch (SqlParseException e) {
      throw parseError(e);
    }
  }

  public static SqlNode parseExpression(String sql) {
    try {
      return SqlParser.create(sql, CONFIG).parseExpression();
    } catch (SqlParseException e) {
      throw parseError(e);
    }
  }

  /** Calcite's parse error, cut to its first sentence (the list of expected tokens is long and rarely helps). */
  public static FreshetException parseError(SqlParseException e) {
    String message = e.getMessage();
    int cut = message.indexOf("\nWas expecting");
    if (cut > 0) {
      message = message.substring(0, cut).trim();
    }
    return FreshetException.user("SQL parse error: " + message.replace('\n', ' '), e);
  }
}
