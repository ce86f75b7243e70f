package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.planner.PlannedQuery;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a Dataset's query runs when a caller wants its rows rather than a sink: collected to the end over bounded
 * inputs, or handed to a {@link ResultReceiver} as it runs (the JDBC driver).
 */
final class QueryRuns {
  private final FreshetSession session;
  private final PlannedQuery plan;

  QueryRuns(FreshetSession session, PlannedQuery plan) {
    this.session = session;
    this.plan = plan;
  }

  /** Every row of a query over bounded inputs, once it has run to the end. */
  List<Row> collect() {
    if (!plan.isBounded()) {
      throw FreshetException.user("collectAsList() needs bounded inputs, but '"
          + String.join(", ", plan.sourceNames()) + "' is an unbounded stream; use writeStream() to run a streaming "
          + "query");
    }
    // Append gives each final row once. A result that changes is kept in a memory table in update mode, which
    // holds the result as it stands: what it holds at the end is the answer. With ORDER BY or LIMIT it is kept
    // in complete mode, sorted and limited whole after each batch, so that the last batch's result is the answer.
    OutputMode mode = plan.defaultMode();
    if (mode != OutputMode.APPEND) {
      return collectChanging();
    }
    List<Row> rows = Collections.synchronizedList(new ArrayList<>());
    StreamExecution query = session.launcher().launch(plan, null,
        new QueryLauncher.SinkTarget("collect", java.util.EnumSet.allOf(OutputMode.class),
            (run, changelog, key) -> new CallbackSink((batch, id) -> rows.addAll(batch))),
        null, null, Trigger.ProcessingTime(0), mode);
    query.awaitTermination();
    return new ArrayList<>(rows);
  }

  private List<Row> collectChanging() {
    String table = changingTable();
    try {
      launchChanging(table).awaitTermination();
      return session.memoryTableRows(table);
    } finally {
      session.resources().close(io.freshet.exec.memory.MemoryTable.resourceKey(table));
    }
  }

  private static String changingTable() {
    return "collect_" + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * Starts a bounded query whose result changes into memory table {@code table}: in update mode, which holds the
   * result as it stands, or, with ORDER BY or LIMIT, in complete mode, sorted and limited whole after each batch.
   */
  private StreamExecution launchChanging(String table) {
    var provider = session.connectors().sink("memory");
    var options = new io.freshet.exec.connector.ConnectorOptions("memory", table, java.util.Map.of(),
        provider.options());
    return session.launcher().launch(plan, null, QueryLauncher.SinkTarget.connector(session, provider, options,
        plan.outputSchema()), null, null, Trigger.ProcessingTime(0),
        plan.sortsOrLimits() ? OutputMode.COMPLETE : OutputMode.UPDATE);
  }

  /** See {@link Dataset#run}. */
  StreamingQuery run(Dataset dataset, ResultReceiver receiver) {
    StreamingQuery query;
    String table = null;
    if (!plan.isBounded()) {
      query = dataset.writeStream().foreachBatch((rows, id) -> receiver.rows(rows.collectAsList())).start();
    } else if (plan.defaultMode() == OutputMode.APPEND) {
      query = session.launcher().launch(plan, null,
          new QueryLauncher.SinkTarget("collect", java.util.EnumSet.allOf(OutputMode.class),
              (run, changelog, key) -> new CallbackSink((batch, id) -> receiver.rows(batch))),
          null, null, Trigger.ProcessingTime(0), OutputMode.APPEND);
    } else {
      table = changingTable();
      query = launchChanging(table);
    }
    String answer = table;
    session.startResultWatcher(() -> awaitEnd(query, answer, receiver));
    return query;
  }

  /** Waits for the query to end, hands a changing bounded query's answer to the receiver, then tells it the end. */
  private void awaitEnd(StreamingQuery query, String answerTable, ResultReceiver receiver) {
    Throwable error = null;
    try {
      query.awaitTermination();
      if (answerTable != null) {
        receiver.rows(session.memoryTableRows(answerTable));
      }
    } catch (Exception e) {
      error = e;
    } finally {
      if (answerTable != null) {
        session.resources().close(io.freshet.exec.memory.MemoryTable.resourceKey(answerTable));
      }
    }
    receiver.end(error);
  }
}
