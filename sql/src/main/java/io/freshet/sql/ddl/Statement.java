package io.freshet.sql.ddl;

import io.freshet.exec.types.Column;
import java.util.List;
import java.util.Map;

/** A statement of Freshet's SQL, as the DDL parser reads it; queries stay text for Calcite. */
public sealed interface Statement {

  /** Whether a stream (an unbounded input) or a table (a sink, or a bounded input) is meant. */
  enum Kind { STREAM, TABLE }

  /** {@code WATERMARK FOR column AS expression}, with where the expression starts. */
  record Watermark(String column, String expression, int line, int column1) { }

  record CreateTable(Kind kind, String name, boolean ifNotExists, boolean orReplace, List<Column> columns,
      Watermark watermark, Map<String, String> options, String position) implements Statement { }

  record DropTable(Kind kind, String name, boolean ifExists) implements Statement { }

  /** {@code SHOW STREAMS}, {@code SHOW TABLES} or {@code SHOW QUERIES}. */
  record Show(String what) implements Statement { }

  record Describe(String name, String position) implements Statement { }

  /** {@code SET 'key' = 'value'}; with a null key, lists the settings. */
  record Set(String key, String value) implements Statement { }

  record Reset(String key) implements Statement { }

  record Explain(Query query) implements Statement { }

  /** {@code STOP QUERY name-or-id}: stops a running persistent query. */
  record StopQuery(String nameOrId, String position) implements Statement { }

  /** {@code HELP [statement]}: what the statements are, or the syntax of one. */
  record Help(String topic) implements Statement { }

  /** A query or INSERT for Calcite, with where it starts in its script. */
  record Query(String sql, int line, int column) implements Statement { }
}
