package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.types.Column;
import io.freshet.planner.Functions;
import io.freshet.planner.UserFunctionOperator;
import io.freshet.sql.catalog.FunctionDefinition;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.catalog.TableKind;
import io.freshet.sql.parser.SqlShow;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQueryProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * SHOW and DESCRIBE: the settings, streams, tables, functions and connectors of a session, the queries it runs (and
 * one of them in detail), and the columns of a stream or table. Tables have no null cells: what does not apply is
 * left blank.
 */
final class ShowStatements {
  private final FreshetSession session;

  ShowStatements(FreshetSession session) {
    this.session = session;
  }

  StatementResult show(SqlShow show) {
    return switch (show.what()) {
      case SETTINGS -> settings();
      case QUERIES -> queries();
      case QUERY -> query(show);
      case FUNCTIONS -> functions();
      case CONNECTORS -> connectors();
      case STREAMS, TABLES -> tables(show.what() == SqlShow.What.STREAMS);
      case VIEWS -> throw new IllegalStateException("views are listed by ViewStatements");
    };
  }

  private StatementResult settings() {
    List<Row> rows = new ArrayList<>();
    session.conf().all().forEach((k, v) -> rows.add(Row.of(k, v)));
    return new StatementResult.Table(List.of("key", "value"), rows);
  }

  /** Each running query: what it is doing, how much it has read, how fast, and how far its event time is. */
  private StatementResult queries() {
    List<Row> rows = new ArrayList<>();
    for (StreamExecution q : session.queries().running()) {
      StreamingQueryProgress p = q.lastProgress();
      rows.add(Row.of(q.name() == null ? "" : q.name(), q.id().toString(), q.status().message(), q.totalInputRows(),
          p == null ? "" : rate(p.inputRowsPerSecond()), p == null ? "" : p.eventTime().getOrDefault("watermark", "")));
    }
    return new StatementResult.Table(List.of("name", "id", "status", "rows in", "rows/s", "watermark"), rows);
  }

  /**
   * One query: its status, its last batch's progress, and its plan with the rows each node emitted and each
   * stateful node's rows and bytes.
   */
  private StatementResult query(SqlShow show) {
    StreamExecution q = running(show.target(), show.targetPosition()).get(0);
    StreamingQueryProgress p = q.lastProgress();
    StringBuilder text = new StringBuilder();
    text.append("Query ").append(q.name()).append(" [id = ").append(q.id()).append("]: ").append(q.status()
        .message()).append('\n');
    text.append("Rows read: ").append(q.totalInputRows()).append(p == null ? "; no batch yet" : "; last batch "
        + p.batchId() + " read " + p.numInputRows() + " rows in " + p.batchDuration() + " ms (" + rate(p
        .inputRowsPerSecond()) + " rows/s in, " + rate(p.processedRowsPerSecond()) + " rows/s processed)"
        + (p.eventTime().containsKey("watermark") ? ", watermark " + p.eventTime().get("watermark") : ""))
        .append('\n');
    text.append("Plan (").append(q.definition().outputMode().name().toLowerCase(Locale.ROOT))
        .append(" output mode; rows each node emitted since the query started):\n").append(QueryMonitor.plan(q));
    if (p != null) {
      text.append("\nLast progress:\n").append(p.prettyJson()).append('\n');
    }
    return new StatementResult.Text(text.toString());
  }

  private static String rate(double rowsPerSecond) {
    return String.format(Locale.ROOT, "%.1f", rowsPerSecond);
  }

  /**
   * The running queries named, or with the id, {@code nameOrId} (written at {@code position}); none is an error
   * listing those that run.
   */
  List<StreamExecution> running(String nameOrId, String position) {
    List<StreamExecution> matches = new ArrayList<>();
    for (StreamExecution q : session.queries().running()) {
      if (nameOrId.equalsIgnoreCase(q.name()) || q.id().toString().equalsIgnoreCase(nameOrId)) {
        matches.add(q);
      }
    }
    if (matches.isEmpty()) {
      List<String> running = session.queries().running().stream().map(q -> q.name() + " [id = " + q.id() + "]")
          .toList();
      throw FreshetException.user("No running query is named or has the id '" + nameOrId + "' (" + position + "); "
          + (running.isEmpty() ? "no query is running" : "running: " + String.join(", ", running)));
    }
    return matches;
  }

  private StatementResult functions() {
    List<Row> rows = new ArrayList<>();
    for (Functions.Function f : Functions.all()) {
      rows.add(Row.of(f.name(), f.kind(), f.syntax()));
    }
    for (FunctionDefinition f : session.catalog().functions()) {
      rows.add(Row.of(f.name(), "user-defined scalar", String.join("; ",
          UserFunctionOperator.signatures(f.function())) + " (class " + f.className()
          + (f.jars().isEmpty() ? "" : " in " + String.join(", ", f.jars())) + ")"));
    }
    return new StatementResult.Table(List.of("function", "kind", "syntax"), rows);
  }

  private StatementResult connectors() {
    var connectors = session.connectors();
    TreeSet<String> names = new TreeSet<>(connectors.sourceNames());
    names.addAll(connectors.sinkNames());
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      boolean source = connectors.hasSource(name);
      boolean sink = connectors.hasSink(name);
      rows.add(Row.of(name, source && sink ? "source and sink" : source ? "source" : "sink"));
    }
    return new StatementResult.Table(List.of("connector", "reads or writes"), rows);
  }

  private StatementResult tables(boolean streams) {
    List<Row> rows = new ArrayList<>();
    for (TableDefinition t : session.catalog().all()) {
      // The Java API's own names (a stream loaded by readStream(), one given a watermark by withWatermark, a
      // foreachBatch batch's rows) are not listed, as Spark lists none of them.
      if ((t.kind() == TableKind.STREAM) == streams && !t.name().startsWith("__stream_")
          && !t.name().startsWith("__watermark_")) {
        rows.add(Row.of(t.name(), t.connector(), t.bounded() ? "bounded" : "unbounded"));
      }
    }
    return new StatementResult.Table(List.of(streams ? "stream" : "table", "connector", "input"), rows);
  }

  /**
   * The columns of {@code t}: name, type, whether it may be null, whether it is (part of) the primary key, and on
   * the event-time column the watermark (on a computed column its expression, {@code AS PROCTIME()}).
   */
  StatementResult describe(TableDefinition t) {
    if (t.schema() == null) {
      return new StatementResult.Message(t.name() + " has no columns yet: the first INSERT INTO it gives it those "
          + "of its query");
    }
    List<Row> rows = new ArrayList<>();
    for (Column c : t.schema().columns()) {
      String watermark = t.watermark() != null && t.watermark().column().equalsIgnoreCase(c.name())
          ? t.watermark().expression() : "";
      String key = t.primaryKey().stream().anyMatch(k -> k.equalsIgnoreCase(c.name())) ? "PRIMARY KEY" : "";
      rows.add(Row.of(c.name(), c.type().sqlName(), c.nullable() ? "YES" : "NO", key, watermark));
    }
    // A computed column at its place, its expression where a watermark would be: PROCTIME() says processing time.
    for (io.freshet.sql.catalog.ComputedColumn c : t.computedColumns()) {
      rows.add(Math.min(c.position(), rows.size()), Row.of(c.name(), "TIMESTAMP", "NO", "", "AS " + c.expression()));
    }
    return new StatementResult.Table(List.of("column", "type", "null", "key", "watermark"), rows);
  }
}
