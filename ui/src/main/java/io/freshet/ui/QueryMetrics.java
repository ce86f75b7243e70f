package io.freshet.ui;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.sql.QueryMonitor;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQueryProgress;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The session's queries as Prometheus metrics, read at each scrape from their last progress: per query (labels
 * {@code query} and {@code id}) the rows read, the input and processing rates, the last batch's duration and the
 * watermark; per plan node (label {@code node}, e.g. {@code #2 Aggregate}) the rows it emitted, and on a stateful
 * one its state rows and bytes and the late rows it dropped; per source the malformed rows; and the queries running
 * and failed.
 */
final class QueryMetrics implements MultiCollector {
  private final QueryMonitor monitor;

  QueryMetrics(QueryMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public MetricSnapshots collect() {
    List<StreamExecution> running = monitor.running();
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(gauge("freshet_queries_running", "Queries running now", List.of(point(Labels.EMPTY, running.size()))));
    out.add(CounterSnapshot.builder().name("freshet_queries_failed").help("Queries that ended with an error")
        .dataPoint(CounterDataPointSnapshot.builder().value(monitor.failed()).build()).build());
    CounterSnapshot.Builder inputRows = CounterSnapshot.builder().name("freshet_query_input_rows")
        .help("Rows the query read since it started");
    running.forEach(q -> inputRows.dataPoint(CounterDataPointSnapshot.builder().labels(labels(q))
        .value(q.totalInputRows()).build()));
    out.add(inputRows.build());
    out.add(perQuery(running, "freshet_query_input_rows_per_second", "Rows read per second in the last batch",
        StreamingQueryProgress::inputRowsPerSecond));
    out.add(perQuery(running, "freshet_query_processed_rows_per_second",
        "Rows processed per second of the last batch's duration", StreamingQueryProgress::processedRowsPerSecond));
    out.add(perQuery(running, "freshet_query_last_batch_duration_seconds", "How long the last batch took",
        p -> p.batchDuration() / 1000.0));
    out.add(perQuery(running, "freshet_query_last_batch_id", "The id of the last batch", p -> p.batchId()));
    List<GaugeDataPointSnapshot> watermarks = new ArrayList<>();
    List<GaugeDataPointSnapshot> stateRows = new ArrayList<>();
    List<GaugeDataPointSnapshot> stateBytes = new ArrayList<>();
    List<GaugeDataPointSnapshot> late = new ArrayList<>();
    List<GaugeDataPointSnapshot> malformed = new ArrayList<>();
    CounterSnapshot.Builder nodeRows = CounterSnapshot.builder().name("freshet_node_rows")
        .help("Rows a plan node (or source) emitted since the query started");
    for (StreamExecution q : running) {
      long[] rows = q.nodeRows();
      for (int id = 0; id < rows.length; id++) {
        nodeRows.dataPoint(CounterDataPointSnapshot.builder().labels(labels(q).add("node",
            QueryMonitor.nodeName(q, id))).value(rows[id]).build());
      }
    }
    out.add(nodeRows.build());
    for (StreamExecution q : running) {
      StreamingQueryProgress p = q.lastProgress();
      if (p == null) {
        continue;
      }
      String watermark = p.eventTime().get("watermark");
      if (watermark != null) {
        watermarks.add(point(labels(q), Instant.parse(watermark).toEpochMilli()));
      }
      List<StateOperatorProgress> states = p.stateOperators();
      List<Integer> nodes = QueryMonitor.statefulNodes(q);
      for (int i = 0; i < states.size(); i++) {
        StateOperatorProgress s = states.get(i);
        Labels l = labels(q).add("node", i < nodes.size() ? QueryMonitor.nodeName(q, nodes.get(i))
            : i + " " + s.operatorName());
        stateRows.add(point(l, s.numRowsTotal()));
        stateBytes.add(point(l, s.memoryUsedBytes()));
        late.add(point(l, s.numRowsDroppedByWatermark()));
      }
      for (int i = 0; i < p.sources().size(); i++) {
        Map<String, String> m = p.sources().get(i).metrics();
        String n = m == null ? null : m.get("numMalformedRows");
        if (n != null) {
          malformed.add(point(labels(q).add("source", i + ":" + p.sources().get(i).description()),
              Double.parseDouble(n)));
        }
      }
    }
    out.add(gauge("freshet_query_watermark_epoch_ms", "The query's watermark, epoch milliseconds", watermarks));
    out.add(gauge("freshet_state_rows", "Rows a stateful operator holds", stateRows));
    out.add(gauge("freshet_state_bytes", "Bytes a stateful operator's state takes on the heap", stateBytes));
    out.add(gauge("freshet_state_late_rows_dropped", "Rows the operator dropped as late in the last batch", late));
    out.add(gauge("freshet_source_malformed_rows", "Malformed rows a source read in the last batch", malformed));
    return new MetricSnapshots(out);
  }

  private static GaugeSnapshot perQuery(List<StreamExecution> queries, String name, String help,
      ToDoubleFunction<StreamingQueryProgress> value) {
    List<GaugeDataPointSnapshot> points = new ArrayList<>();
    for (StreamExecution q : queries) {
      StreamingQueryProgress p = q.lastProgress();
      if (p != null) {
        points.add(point(labels(q), value.applyAsDouble(p)));
      }
    }
    return gauge(name, help, points);
  }

  private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    points.forEach(b::dataPoint);
    return b.build();
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static Labels labels(StreamExecution q) {
    return Labels.of("query", q.name() == null ? "" : q.name(), "id", q.id().toString());
  }
}
