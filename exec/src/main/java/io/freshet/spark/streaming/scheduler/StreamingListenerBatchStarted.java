package io.freshet.spark.streaming.scheduler;

/** Spark's {@code StreamingListenerBatchStarted}. */
public record StreamingListenerBatchStarted(BatchInfo batchInfo) { }
