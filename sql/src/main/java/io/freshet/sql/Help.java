package io.freshet.sql;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.LinkedHashMap;
import java.util.Map;

/** The text of {@code HELP}: every statement in one line each, or one statement's syntax with an example. */
final class Help {
  /** Statement, then its syntax and what it does, with an example. */
  private static final Map<String, String> STATEMENTS = new LinkedHashMap<>();

  static {
    STATEMENTS.put("SELECT", """
        SELECT columns FROM stream [WHERE ...] [GROUP BY ...]
          Runs a query. Over a bounded input it prints the answer; over a stream it prints rows as they come until
          it is stopped (Ctrl-C in the shell). Windows: FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10'
          SECOND)) with GROUP BY window_start, window_end.
          e.g. SELECT auction, price FROM bid WHERE price > 1000;""");
    STATEMENTS.put("INSERT INTO", """
        INSERT INTO table SELECT ...
          Starts a persistent query that writes into a sink table. In the interactive shell it runs in the
          background (SHOW QUERIES lists it, STOP QUERY stops it); in a script it runs to its end first.
          e.g. INSERT INTO expensive SELECT auction, price FROM bid WHERE price > 1000000;""");
    STATEMENTS.put("CREATE STREAM", """
        CREATE [OR REPLACE] STREAM [IF NOT EXISTS] name [(column TYPE, ...[, WATERMARK FOR col AS col - INTERVAL
          'n' SECOND])] WITH ('connector' = '...', 'option' = 'value', ...)
          Declares an input: nexmark, rate, memory, file, socket or kafka. Without columns the connector's own
          are used.
          e.g. CREATE STREAM ticks WITH ('connector' = 'rate', 'rowsPerSecond' = '5');""");
    STATEMENTS.put("CREATE TABLE", """
        CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [(column TYPE, ...)] WITH ('connector' = '...', ...)
          Declares a sink (console, memory, file, kafka, blackhole), or a bounded input. Without columns a sink
          takes those of the first query written into it.
          e.g. CREATE TABLE expensive WITH ('connector' = 'memory');""");
    STATEMENTS.put("CREATE VIEW", """
        CREATE [OR REPLACE] [TEMPORARY] VIEW [IF NOT EXISTS] name [(column, ...)] AS SELECT ...
          Names a query, to read like a stream in later queries of the session (FROM, JOIN, INSERT INTO ...
          SELECT, TABLE(TUMBLE(TABLE name, ...)): it keeps its stream's event time). Checked when created; lasts
          as long as the session.
          e.g. CREATE VIEW big_bids AS SELECT auction, price, dateTime FROM bid WHERE price > 1000;""");
    STATEMENTS.put("CREATE FUNCTION", """
        CREATE [OR REPLACE] [TEMPORARY] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE JAVA] [USING JAR 'path']
          Declares a scalar function written in Java: a public class with public eval methods, from the jar of
          USING JAR or the classpath (FRESHET_CLASSPATH). Lasts as long as the session.
          e.g. CREATE FUNCTION count_char AS 'io.freshet.sources.nexmark.CountChar';""");
    STATEMENTS.put("DROP", """
        DROP STREAM|TABLE|VIEW|FUNCTION [IF EXISTS] name
          Forgets a stream, table, view or function. A stream or table is refused while a running query uses it;
          running queries that read a view or call a function go on as they were planned.""");
    STATEMENTS.put("SHOW", """
        SHOW STREAMS | TABLES | VIEWS | QUERIES | FUNCTIONS | CONNECTORS, SHOW QUERY name-or-id
          Lists the streams, the tables, the views, the running queries (rows read, rate, watermark), the
          functions or the connectors; SHOW QUERY shows one query's last batch and its plan with each stateful
          node's rows.
          e.g. SHOW QUERY expensive;""");
    STATEMENTS.put("DESCRIBE", """
        DESCRIBE name
          The columns of a stream, table or view: type, whether it may be null, the primary key, and on the
          event-time column the watermark.""");
    STATEMENTS.put("EXPLAIN", """
        EXPLAIN query
          The logical and physical plans of a query, and its output mode.""");
    STATEMENTS.put("SET", """
        SET ['key' = 'value']
          Changes a setting (checkpoint-location, output-mode, trigger, dml-sync, late-rows-table, state-store), or
          lists them.
          e.g. SET 'output-mode' = 'update';""");
    STATEMENTS.put("RESET", """
        RESET ['key']
          Sets a setting, or all of them, back to its default.""");
    STATEMENTS.put("STOP QUERY", """
        STOP QUERY name-or-id
          Stops a running query (started by INSERT INTO; SHOW QUERIES gives names and ids). The batch in flight
          finishes and is committed first.""");
    STATEMENTS.put("SOURCE", """
        SOURCE 'file.sql'
          In the shell: runs the statements of a file, in order, as if they were typed.
          e.g. SOURCE 'setup.sql';""");
    STATEMENTS.put("HELP", """
        HELP [statement]
          This list, or one statement's syntax.""");
  }

  private Help() {
  }

  static String text(String topic) {
    if (topic == null || topic.isBlank()) {
      StringBuilder text = new StringBuilder("Statements end with ';' and may span lines. HELP <statement> shows one."
          + "\n");
      STATEMENTS.forEach((name, help) -> text.append(String.format("  %-14s %s%n", name,
          help.lines().findFirst().orElse(""))));
      return text.toString();
    }
    String wanted = topic.trim().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
    for (Map.Entry<String, String> e : STATEMENTS.entrySet()) {
      if (wanted.equals(e.getKey()) || wanted.startsWith(e.getKey() + " ") || e.getKey().startsWith(wanted + " ")
          && !wanted.equals("CREATE")) {
        return e.getValue() + "\n";
      }
    }
    if (wanted.equals("CREATE")) {
      return STATEMENTS.get("CREATE STREAM") + "\n" + STATEMENTS.get("CREATE TABLE") + "\n"
          + STATEMENTS.get("CREATE VIEW") + "\n" + STATEMENTS.get("CREATE FUNCTION") + "\n";
    }
    throw FreshetException.user("No help for '" + topic + "'" + Spelling.didYouMean(wanted, STATEMENTS.keySet())
        + "; HELP lists the statements");
  }
}
