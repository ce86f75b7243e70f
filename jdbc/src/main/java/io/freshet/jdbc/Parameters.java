package io.freshet.jdbc;

import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * A PreparedStatement's {@code ?} parameters, bound by writing each value into the statement as a SQL literal
 * before it is planned: a string as {@code 'text'} (quotes doubled), a number as written, a boolean as TRUE or
 * FALSE, a timestamp as {@code TIMESTAMP '2024-01-01 12:00:00.000'}, null as NULL. A {@code ?} inside a string,
 * a quoted name or a comment is not a parameter.
 */
final class Parameters {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private Parameters() {
  }

  /** How many parameters {@code sql} has. */
  static int count(String sql) {
    int n = 0;
    for (int i = 0; i < sql.length(); i = next(sql, i)) {
      if (sql.charAt(i) == '?') {
        n++;
      }
    }
    return n;
  }

  /** {@code sql} with its parameters replaced by the literals of {@code values}, in order. */
  static String bind(String sql, List<TypedValue> values) {
    int expected = count(sql);
    if (values.size() != expected) {
      throw FreshetException.user("The statement has " + expected + " parameters ('?') but " + values.size()
          + " values were given; set each with setString, setLong, ... before executing it");
    }
    StringBuilder out = new StringBuilder();
    int p = 0;
    for (int i = 0; i < sql.length(); ) {
      int end = next(sql, i);
      if (sql.charAt(i) == '?') {
        TypedValue value = values.get(p++);
        if (value == null) {
          throw FreshetException.user("Parameter " + p + " has no value; set it with setString, setLong, ... or "
              + "setNull before executing the statement");
        }
        out.append(literal(value));
      } else {
        out.append(sql, i, end);
      }
      i = end;
    }
    return out.toString();
  }

  /** Where the token at {@code i} ends: a quoted string, name or comment whole, anything else one character. */
  private static int next(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"' || c == '`') {
      int j = i + 1;
      while (j < sql.length()) {
        if (sql.charAt(j) == c) {
          if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
            j += 2;
            continue;
          }
          return j + 1;
        }
        j++;
      }
      return sql.length();
    }
    if (c == '-' && sql.startsWith("--", i)) {
      int eol = sql.indexOf('\n', i);
      return eol < 0 ? sql.length() : eol + 1;
    }
    if (c == '/' && sql.startsWith("/*", i)) {
      int close = sql.indexOf("*/", i + 2);
      return close < 0 ? sql.length() : close + 2;
    }
    return i + 1;
  }

  /** The SQL literal of a parameter's value. */
  static String literal(TypedValue value) {
    Object v = value.value;
    if (v == null) {
      return "NULL";
    }
    switch (value.type) {
      case JAVA_SQL_TIMESTAMP:
      case JAVA_UTIL_DATE:
        return "TIMESTAMP '" + TIMESTAMP.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) v)
            .longValue()), ZoneOffset.UTC)) + "'";
      case JAVA_SQL_DATE:
        return "DATE '" + java.time.LocalDate.ofEpochDay(((Number) v).longValue()) + "'";
      default:
        break;
    }
    if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw FreshetException.user("Parameter value " + d + " has no SQL literal; use a finite number");
      }
      return "CAST(" + d + " AS DOUBLE)";
    }
    if (v instanceof Number) {
      return v.toString();
    }
    if (v instanceof LocalDateTime t) {
      return "TIMESTAMP '" + TIMESTAMP.format(t) + "'";
    }
    if (v instanceof java.sql.Timestamp t) {
      return "TIMESTAMP '" + TIMESTAMP.format(t.toLocalDateTime()) + "'";
    }
    return "'" + v.toString().replace("'", "''") + "'";
  }
}
