package io.freshet.streaming;

import java.util.Map;

/**
 * A stateful operator's part of a micro-batch, with Spark's field names; {@code customMetrics} holds figures of its
 * own kind of state (a deduplication's pending rows and markers), by name in order, as Spark's does.
 */
public record StateOperatorProgress(
    String operatorName,
    long numRowsTotal,
    long numRowsUpdated,
    long memoryUsedBytes,
    long numRowsDroppedByWatermark,
    Map<String, Long> customMetrics) {

  public StateOperatorProgress {
    customMetrics = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(customMetrics));
  }

  /** Figures without metrics of its own. */
  public StateOperatorProgress(String operatorName, long numRowsTotal, long numRowsUpdated, long memoryUsedBytes,
      long numRowsDroppedByWatermark) {
    this(operatorName, numRowsTotal, numRowsUpdated, memoryUsedBytes, numRowsDroppedByWatermark, Map.of());
  }
}
