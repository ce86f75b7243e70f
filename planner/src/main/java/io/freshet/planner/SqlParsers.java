package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Calcite's parser options as Freshet sets them: identifiers keep the case they are written in and match ignoring
 * case (as in Spark), back-ticks quote identifiers (as in Flink and Spark). The planner takes parsed SQL; the sql
 * module's parser (Calcite's grammar extended with Freshet's statements) parses with these options.
 */
public final class SqlParsers {
  public static final SqlParser.Config CONFIG = SqlParser.config()
      .withQuoting(Quoting.BACK_TICK)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false)
      .withConformance(SqlConformanceEnum.LENIENT);

  private SqlParsers() { }

  /** The error for a statement whose nesting overflows the parser's or the planner's stack. */
  public static FreshetException tooDeep(Throwable cause) {
    return FreshetException.user("The statement is nested too deeply to plan (over 10 000 levels of parentheses, or "
        + "a chain of over 10 000 terms of + or AND); split it, e.g. sum the terms in steps, or use IN (...) for a "
        + "list of values", cause);
  }
}
