package io.freshet.ui;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.sql.QueryMonitor;
import io.freshet.streaming.Json;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQueryProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON API: {@code /api/v1/queries} lists the running queries (then those that ended), each summed up in a few
 * figures; {@code /api/v1/queries/{id}} gives one with its recent progress objects, oldest first, and its plan.
 */
final class QueriesJson {
  private final QueryMonitor monitor;

  QueriesJson(QueryMonitor monitor) {
    this.monitor = monitor;
  }

  /** The list, running queries first. */
  String list() {
    List<Map<String, Object>> out = new ArrayList<>();
    monitor.running().forEach(q -> out.add(summary(q)));
    List<StreamExecution> ended = new ArrayList<>(monitor.ended());
    java.util.Collections.reverse(ended);
    ended.forEach(q -> out.add(summary(q)));
    return Json.write(out, false);
  }

  /** One query by id (a running one before an ended run of the same id), or null. */
  String one(String id) {
    StreamExecution q = find(id);
    if (q == null) {
      return null;
    }
    Map<String, Object> out = summary(q);
    out.put("plan", QueryMonitor.plan(q));
    out.put("recentProgress", q.recentProgress());
    return Json.write(out, false);
  }

  private StreamExecution find(String id) {
    for (StreamExecution q : monitor.running()) {
      if (q.id().toString().equalsIgnoreCase(id)) {
        return q;
      }
    }
    List<StreamExecution> ended = monitor.ended();
    for (int i = ended.size() - 1; i >= 0; i--) {
      if (ended.get(i).id().toString().equalsIgnoreCase(id)) {
        return ended.get(i);
      }
    }
    return null;
  }

  /** What the list shows of a query. */
  private static Map<String, Object> summary(StreamExecution q) {
    StreamingQueryProgress p = q.lastProgress();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", q.name());
    m.put("id", q.id().toString());
    m.put("runId", q.runId().toString());
    boolean active = q.isActive();
    m.put("active", active);
    m.put("status", active ? q.status().message() : q.exception() != null ? "Failed" : "Stopped");
    if (q.exception() != null) {
      m.put("exception", q.exception().getMessage());
    }
    m.put("startedAt", java.time.Instant.ofEpochMilli(q.startedAt()).toString());
    m.put("uptimeMs", active ? Math.max(0, System.currentTimeMillis() - q.startedAt()) : null);
    m.put("totalInputRows", q.totalInputRows());
    if (p != null) {
      m.put("latestBatch", p.batchId());
      m.put("batchDurationMs", p.batchDuration());
      m.put("inputRowsPerSecond", p.inputRowsPerSecond());
      m.put("processedRowsPerSecond", p.processedRowsPerSecond());
      m.put("watermark", p.eventTime().get("watermark"));
      long rows = 0;
      long bytes = 0;
      for (StateOperatorProgress s : p.stateOperators()) {
        rows += s.numRowsTotal();
        bytes += s.memoryUsedBytes();
      }
      m.put("stateRows", rows);
      m.put("stateBytes", bytes);
      m.put("lastProgress", p);
    }
    return m;
  }
}
