package io.freshet.streaming;

/** A stateful operator's part of a micro-batch, with Spark's field names. */
public record StateOperatorProgress(
    String operatorName,
    long numRowsTotal,
    long numRowsUpdated,
    long memoryUsedBytes,
    long numRowsDroppedByWatermark) {
}
