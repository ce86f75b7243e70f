package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQueryProgress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a monitor (the web UI, {@code /metrics}, SHOW QUERY) reads of a session's queries: those running, those that
 * ended (with their last progress and error), how many failed, and each query's plan with the rows every node
 * emitted and every stateful node's state. Thread-safe; read-only.
 */
public final class QueryMonitor {
  /** How many ended queries are kept. */
  static final int RETAINED = 100;

  private final QueryRegistry registry;

  QueryMonitor(QueryRegistry registry) {
    this.registry = registry;
  }

  /** The queries running now. */
  public List<StreamExecution> running() {
    return registry.running();
  }

  /** The queries that ended, oldest first (the last hundred). */
  public List<StreamExecution> ended() {
    return registry.ended();
  }

  /** How many queries of the session ended with an error. */
  public long failed() {
    return registry.failed();
  }

  /** The plan ids of the query's stateful nodes, in the order of the progress's {@code stateOperators}. */
  public static List<Integer> statefulNodes(StreamExecution q) {
    List<Integer> stateful = new ArrayList<>();
    q.definition().plan().nodes().forEach(n -> {
      if (n.factory().stateful()) {
        stateful.add(n.id());
      }
    });
    return stateful;
  }

  /**
   * A short name of a plan node for labels and legends: {@code #2 Aggregate}, {@code #0 nexmark.bid} (a source by
   * its stream's name).
   */
  public static String nodeName(StreamExecution q, int id) {
    var plan = q.definition().plan();
    if (plan.isSource(id)) {
      return "#" + id + " " + plan.source(id).name();
    }
    String describe = plan.node(id).factory().describe();
    int paren = describe.indexOf('(');
    return "#" + id + " " + (paren > 0 ? describe.substring(0, paren) : describe);
  }

  /**
   * The query's physical plan as EXPLAIN prints it, each node followed by the rows it emitted since the query
   * started and, on a stateful node, its state rows and bytes and the late rows it dropped (from the last progress).
   */
  public static String plan(StreamExecution q) {
    StreamingQueryProgress p = q.lastProgress();
    var plan = q.definition().plan();
    List<Integer> stateful = statefulNodes(q);
    List<StateOperatorProgress> states = p == null ? List.of() : p.stateOperators();
    long[] rows = q.nodeRows();
    return plan.explain(id -> {
      String emitted = id < rows.length ? rows[id] + " rows" : null;
      int at = stateful.indexOf(id);
      if (at < 0 || at >= states.size()) {
        return emitted;
      }
      StateOperatorProgress s = states.get(at);
      return (emitted == null ? "" : emitted + "; ") + "state: " + s.numRowsTotal() + " rows, "
          + s.memoryUsedBytes() + " bytes on the heap" + (s.numRowsDroppedByWatermark() > 0 ? ", "
          + s.numRowsDroppedByWatermark() + " late rows dropped" : "");
    });
  }
}
