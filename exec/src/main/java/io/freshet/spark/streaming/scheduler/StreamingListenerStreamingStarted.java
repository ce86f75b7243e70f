package io.freshet.spark.streaming.scheduler;

/** Spark's {@code StreamingListenerStreamingStarted}: the time the context started. */
public record StreamingListenerStreamingStarted(long time) { }
