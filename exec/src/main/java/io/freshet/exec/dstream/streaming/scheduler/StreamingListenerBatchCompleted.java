package io.freshet.exec.dstream.streaming.scheduler;

/** Spark's {@code StreamingListenerBatchCompleted}. */
public record StreamingListenerBatchCompleted(BatchInfo batchInfo) { }
