package io.freshet.exec.engine;

import io.freshet.streaming.SinkProgress;
import io.freshet.streaming.SourceProgress;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQueryListener;
import io.freshet.streaming.StreamingQueryProgress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The progress a query reports: one {@link StreamingQueryProgress} per batch (and, for triggers without new data,
 * one at first and then at most every the query's idle progress interval, 10 s by default, as Spark does), the last
 * {@link #RETAINED} kept for {@code recentProgress()}. Each is also posted to the query's listeners: a batch's as a
 * progress event, an idle trigger's as an idle event (as Spark 3.5 does). Written by the query's thread, read by any.
 */
final class ProgressRecorder {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProgressRecorder.class);
  private static final int RETAINED = 100;
  /** A trigger without new data reports progress at most this often (Spark's noDataProgressEventInterval). */

  private final long idleIntervalMs;
  private final String queryId;
  private final String runId;
  private final String name;
  private final Consumer<StreamingQueryListener.Event> events;
  private final Deque<StreamingQueryProgress> progress = new ArrayDeque<>();
  /** When the last progress was recorded (trigger start), or Long.MIN_VALUE; used by the query thread only. */
  private long lastRecordedAt = Long.MIN_VALUE;
  /** Rows read by every batch this run recorded (not only those retained). */
  private volatile long totalInputRows;
  /** Per plan id, the rows its node or source emitted over this run's batches. */
  private volatile long[] totalNodeRows = new long[0];

  /** @param events where the progress and idle events go */
  ProgressRecorder(String queryId, String runId, String name, Consumer<StreamingQueryListener.Event> events,
      long idleIntervalMs) {
    this.idleIntervalMs = idleIntervalMs;
    this.queryId = queryId;
    this.runId = runId;
    this.name = name;
    this.events = events;
  }

  /** The figures of one batch. */
  record BatchFigures(long batchId, long triggerStart, long totalMs, long inputRows, long outputRows,
      long watermark, Map<String, Long> durations, List<SourceProgress> sources,
      List<StateOperatorProgress> stateOperators, String sinkDescription) {
  }

  /** Whether a trigger at {@code triggerStart} that found no new data should report progress. */
  boolean idleProgressDue(long triggerStart) {
    return lastRecordedAt == Long.MIN_VALUE || triggerStart - lastRecordedAt >= idleIntervalMs;
  }

  /**
   * Records the progress of a trigger that found no new data, with the id the next batch will have: each source
   * at its committed offset, no rows.
   */
  void recordIdle(long nextBatch, long triggerStart, long totalMs, long watermark, List<SourceProgress> sources,
      String sinkDescription) {
    Map<String, Long> durations = new LinkedHashMap<>();
    durations.put("latestOffset", totalMs);
    durations.put("triggerExecution", totalMs);
    StreamingQueryProgress p = store(new BatchFigures(nextBatch, triggerStart, totalMs, 0, 0, watermark, durations,
        sources, List.of(), sinkDescription));
    events.accept(new StreamingQueryListener.QueryIdleEvent(UUID.fromString(queryId), UUID.fromString(runId),
        p.timestamp()));
  }

  /**
   * Records a batch's progress, logs it in a line at INFO (batch id, rows, duration and watermark) and tells the
   * listeners.
   */
  void record(BatchFigures f) {
    StreamingQueryProgress p = store(f);
    if (LOG.isInfoEnabled()) {
      LOG.info("Query {} batch {}: {} rows in, {} rows out, {} ms, watermark {}", name != null ? name : queryId,
          f.batchId(), f.inputRows(), f.outputRows(), f.totalMs(), p.eventTime().getOrDefault("watermark", "none"));
    }
    events.accept(new StreamingQueryListener.QueryProgressEvent(p));
  }

  private StreamingQueryProgress store(BatchFigures f) {
    StreamingQueryProgress previous = last();
    double sinceLast = previous == null ? f.totalMs() / 1000.0
        : (f.triggerStart() - Instant.parse(previous.timestamp()).toEpochMilli()) / 1000.0;
    double inputRate = sinceLast > 0 ? f.inputRows() / sinceLast : 0;
    double processedRate = f.totalMs() > 0 ? f.inputRows() * 1000.0 / f.totalMs() : 0;
    List<SourceProgress> withRates = f.sources().stream().map(s -> new SourceProgress(s.description(),
        s.startOffset(), s.endOffset(), s.latestOffset(), s.numInputRows(),
        sinceLast > 0 ? s.numInputRows() / sinceLast : 0,
        f.totalMs() > 0 ? s.numInputRows() * 1000.0 / f.totalMs() : 0, s.metrics())).toList();
    Map<String, String> eventTime = new LinkedHashMap<>();
    if (f.watermark() != StreamExecution.NO_WATERMARK && f.watermark() != Long.MAX_VALUE) {
      eventTime.put("watermark", Instant.ofEpochMilli(f.watermark()).toString());
    }
    StreamingQueryProgress p = new StreamingQueryProgress(queryId, runId, name,
        Instant.ofEpochMilli(f.triggerStart()).toString(), f.batchId(), f.totalMs(), f.inputRows(), inputRate,
        processedRate, f.durations(), eventTime, f.stateOperators(), withRates,
        new SinkProgress(f.sinkDescription(), f.outputRows()));
    lastRecordedAt = f.triggerStart();
    totalInputRows += f.inputRows();
    synchronized (progress) {
      progress.addLast(p);
      while (progress.size() > RETAINED) {
        progress.removeFirst();
      }
    }
    return p;
  }

  /** Adds a batch's rows per plan id (over all partitions) to the run's totals. */
  void recordNodeRows(long[] rows) {
    long[] total = java.util.Arrays.copyOf(totalNodeRows, Math.max(totalNodeRows.length, rows.length));
    for (int id = 0; id < rows.length; id++) {
      total[id] += rows[id];
    }
    totalNodeRows = total;
  }

  /** Per plan id, the rows its node or source emitted over this run's batches (a copy). */
  long[] totalNodeRows() {
    return totalNodeRows.clone();
  }

  /** The rows read by the batches of this run so far. */
  long totalInputRows() {
    return totalInputRows;
  }

  StreamingQueryProgress last() {
    synchronized (progress) {
      return progress.peekLast();
    }
  }

  List<StreamingQueryProgress> recent() {
    synchronized (progress) {
      return List.copyOf(progress);
    }
  }
}
