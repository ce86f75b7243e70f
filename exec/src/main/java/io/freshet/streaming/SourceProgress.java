package io.freshet.streaming;

/**
 * One source's part of a micro-batch, with Spark's field names; {@code metrics} holds the source's own counts for
 * the batch, e.g. {@code numMalformedRows} of a decoding source.
 */
public record SourceProgress(
    String description,
    String startOffset,
    String endOffset,
    String latestOffset,
    long numInputRows,
    double inputRowsPerSecond,
    double processedRowsPerSecond,
    java.util.Map<String, String> metrics) {
}
