package io.freshet.spark.streaming.scheduler;

/** Spark's {@code StreamingListenerBatchCompleted}. */
public record StreamingListenerBatchCompleted(BatchInfo batchInfo) { }
