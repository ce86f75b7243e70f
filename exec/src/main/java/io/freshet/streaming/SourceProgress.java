package io.freshet.streaming;

/** One source's part of a micro-batch, with Spark's field names. */
public record SourceProgress(
    String description,
    String startOffset,
    String endOffset,
    String latestOffset,
    long numInputRows,
    double inputRowsPerSecond,
    double processedRowsPerSecond) {
}
