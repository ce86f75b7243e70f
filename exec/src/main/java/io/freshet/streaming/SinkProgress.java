package io.freshet.streaming;

/** The sink's part of a micro-batch, with Spark's field names. */
public record SinkProgress(String description, long numOutputRows) {
}
