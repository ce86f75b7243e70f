package io.freshet.streaming;

import java.util.List;
import java.util.Map;

/**
 * What one micro-batch did, with the field names of Spark's {@code StreamingQueryProgress}: durations in
 * {@code durationMs} (latestOffset, walCommit, getBatch, addBatch, commitOffsets, triggerExecution), the
 * watermark in {@code eventTime}, one entry per source and stateful operator, and the sink.
 */
public record StreamingQueryProgress(
    String id,
    String runId,
    String name,
    String timestamp,
    long batchId,
    long batchDuration,
    long numInputRows,
    double inputRowsPerSecond,
    double processedRowsPerSecond,
    Map<String, Long> durationMs,
    Map<String, String> eventTime,
    List<StateOperatorProgress> stateOperators,
    List<SourceProgress> sources,
    SinkProgress sink) {

  /** Compact JSON, as Spark's {@code json()}. */
  public String json() {
    return Json.write(this, false);
  }

  public String prettyJson() {
    return Json.write(this, true);
  }

  @Override
  public String toString() {
    return prettyJson();
  }
}
