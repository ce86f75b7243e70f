package io.freshet.planner;

import java.util.List;

/**
 * The functions a query can call, as {@code SHOW FUNCTIONS} lists them and a misspelt name is matched against: what
 * the runtime evaluates, not every function Calcite's parser knows.
 */
public final class Functions {
  /**
   * A function: its name, its kind (scalar, aggregate, window table function, ranking) and how it is called.
   */
  public record Function(String name, String kind, String syntax) { }

  private static final List<Function> ALL = List.of(
      scalar("ABS", "ABS(number)"),
      scalar("CAST", "CAST(value AS type)"),
      scalar("CHAR_LENGTH", "CHAR_LENGTH(text), also CHARACTER_LENGTH"),
      scalar("CONCAT", "CONCAT(text, text), also text || text"),
      scalar("DATE_FORMAT", "DATE_FORMAT(timestamp, 'yyyy-MM-dd HH:mm'), Java's pattern letters"),
      scalar("HOUR", "HOUR(timestamp), also MINUTE, SECOND and EXTRACT(HOUR FROM timestamp)"),
      scalar("LOWER", "LOWER(text)"),
      scalar("MOD", "MOD(a, b), also a % b"),
      scalar("PROCTIME", "PROCTIME(), the processing time of the row's micro-batch (a processing-time attribute)"),
      scalar("REGEXP_EXTRACT", "REGEXP_EXTRACT(text, 'regex' [, group]), group 0 (the default) is the whole match"),
      scalar("SPLIT", "SPLIT(text, delimiter), an array for CROSS JOIN UNNEST(SPLIT(...))"),
      scalar("SPLIT_INDEX", "SPLIT_INDEX(text, separator, index), the index-th piece from 0"),
      scalar("SUBSTRING", "SUBSTRING(text FROM start [FOR length])"),
      scalar("TRIM", "TRIM([BOTH | LEADING | TRAILING] [chars FROM] text)"),
      scalar("UPPER", "UPPER(text)"),
      aggregate("APPROX_COUNT_DISTINCT", "APPROX_COUNT_DISTINCT(value)"),
      aggregate("AVG", "AVG(number)"),
      aggregate("COUNT", "COUNT(*), COUNT(value), COUNT(DISTINCT value) [FILTER (WHERE ...)]"),
      aggregate("MAX", "MAX(value)"),
      aggregate("MIN", "MIN(value)"),
      aggregate("SUM", "SUM(number)"),
      new Function("CUMULATE", "window table function",
          "TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), step, max size))"),
      new Function("HOP", "window table function", "TABLE(HOP(TABLE s, DESCRIPTOR(ts), slide, size))"),
      new Function("SESSION", "window table function",
          "TABLE(SESSION(TABLE s PARTITION BY key, DESCRIPTOR(ts), gap))"),
      new Function("TUMBLE", "window table function", "TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), size))"),
      new Function("DENSE_RANK", "ranking", "DENSE_RANK() OVER (PARTITION BY ... ORDER BY ...)"),
      new Function("RANK", "ranking", "RANK() OVER (PARTITION BY ... ORDER BY ...)"),
      new Function("ROW_NUMBER", "ranking", "ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...)"));

  private Functions() {
  }

  /** Every function, scalar ones first, each kind by name. */
  public static List<Function> all() {
    return ALL;
  }

  /** The names of every function. */
  public static List<String> names() {
    return ALL.stream().map(Function::name).toList();
  }

  private static Function scalar(String name, String syntax) {
    return new Function(name, "scalar", syntax);
  }

  private static Function aggregate(String name, String syntax) {
    return new Function(name, "aggregate", syntax);
  }
}
