package io.freshet.streaming;

/**
 * A stateful operator's part of a micro-batch, with Spark's field names; {@code numRowsExpired} counts the rows a
 * join without a time bound dropped from its state as older than {@code state.ttl}.
 */
public record StateOperatorProgress(
    String operatorName,
    long numRowsTotal,
    long numRowsUpdated,
    long memoryUsedBytes,
    long numRowsDroppedByWatermark,
    long numRowsExpired) {

  /** An operator whose state does not expire. */
  public StateOperatorProgress(String operatorName, long numRowsTotal, long numRowsUpdated, long memoryUsedBytes,
      long numRowsDroppedByWatermark) {
    this(operatorName, numRowsTotal, numRowsUpdated, memoryUsedBytes, numRowsDroppedByWatermark, 0);
  }
}
