package io.freshet.spark.streaming.scheduler;

/** Spark's {@code StreamingListenerBatchSubmitted}. */
public record StreamingListenerBatchSubmitted(BatchInfo batchInfo) { }
