package io.freshet.sql;

import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.List;

/**
 * What executing one statement gave: a message, text, a small table, a query to run, a started query, or the
 * queries it stopped.
 */
public sealed interface StatementResult {

  /** A statement that changed the session (CREATE, DROP, SET) and says what it did. */
  record Message(String text) implements StatementResult { }

  /** Text to show as it is, in scripts too (HELP, EXPLAIN). */
  record Text(String text) implements StatementResult { }

  /** A small result computed at once (SHOW, DESCRIBE, SET with no arguments). */
  record Table(List<String> columns, List<Row> rows) implements StatementResult { }

  /** A SELECT: planned, not started; the caller decides how to run and show it. */
  record Query(Dataset dataset) implements StatementResult { }

  /** An INSERT INTO: the persistent query that now runs. */
  record Started(StreamingQuery query, String sink) implements StatementResult { }

  /** A STOP QUERY: the queries it stopped, and what to tell the user. */
  record Stopped(List<StreamingQuery> queries, String message) implements StatementResult { }
}
