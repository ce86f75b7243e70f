package io.freshet.exec.dstream.streaming.scheduler;

/** Spark's {@code StreamingListenerBatchSubmitted}. */
public record StreamingListenerBatchSubmitted(BatchInfo batchInfo) { }
