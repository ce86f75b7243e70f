package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
      return SqlParser.create(quoteDateTimeIdentifiers(sql), CONFIG).parseStmt();
    } catch (SqlParseException e) {
      throw parseError(e);
    }
  }

  public static SqlNode parseExpression(String sql) {
    try {
      return SqlParser.create(quoteDateTimeIdentifiers(sql), CONFIG).parseExpression();
    } catch (SqlParseException e) {
      throw parseError(e);
    }
  }

  /**
   * Back-quotes {@code dateTime} where it is a name. Calcite's grammar reads the word DATETIME as the start of a
   * BigQuery {@code DATETIME 'literal'} even when no string follows, which breaks Nexmark's {@code dateTime}
   * column; quoted, it is an identifier. A DATETIME followed by a string literal is left alone. Error columns
   * later on the same line shift by two characters per quoted word.
   */
  static String quoteDateTimeIdentifiers(String sql) {
    StringBuilder out = null;
    int copied = 0;
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        continue;
      }
      if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        while (i < sql.length() && sql.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      boolean wordStart = (i == 0 || !isWordChar(sql.charAt(i - 1))) && sql.regionMatches(true, i, "datetime", 0, 8)
          && (i + 8 == sql.length() || !isWordChar(sql.charAt(i + 8)));
      if (wordStart) {
        int next = i + 8;
        while (next < sql.length() && Character.isWhitespace(sql.charAt(next))) {
          next++;
        }
        if (next >= sql.length() || sql.charAt(next) != '\'') {
          if (out == null) {
            out = new StringBuilder(sql.length() + 16);
          }
          out.append(sql, copied, i).append('`').append(sql, i, i + 8).append('`');
          copied = i + 8;
        }
        i += 7;
      }
    }
    return out == null ? sql : out.append(sql, copied, sql.length()).toString();
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /** The error for a statement whose nesting overflows the parser's or the planner's stack. */
  public static FreshetException tooDeep(Throwable cause) {
    return FreshetException.user("The statement is nested too deeply to plan (over 10 000 levels of parentheses, or "
        + "a chain of over 10 000 terms of + or AND); split it, e.g. sum the terms in steps, or use IN (...) for a "
        + "list of values", cause);
  }

  /**
   * Calcite's parse error, cut to its first sentence (the list of expected tokens is long and rarely helps); a
   * reserved word where a name was expected gets the advice to quote it.
   */
  public static FreshetException parseError(SqlParseException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StackOverflowError) {
        return tooDeep(e);
      }
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int cut = message.indexOf("\nWas expecting");
    if (cut > 0) {
      message = message.substring(0, cut).trim();
    }
    message = "SQL parse error: " + message.replace('\n', ' ');
    Matcher encountered = Pattern.compile("Encountered \"(\\w+)\"").matcher(message);
    if (encountered.find() && SqlParser.create("", CONFIG).getMetadata().isReservedWord(
        encountered.group(1).toUpperCase(java.util.Locale.ROOT))) {
      String word = encountered.group(1);
      message += " '" + word + "' is a reserved word in SQL; to use it as a name, quote it with back-ticks: `"
          + word + "`";
    }
    return FreshetException.user(message, e);
  }
}
