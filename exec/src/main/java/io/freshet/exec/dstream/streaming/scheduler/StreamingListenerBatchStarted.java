package io.freshet.exec.dstream.streaming.scheduler;

/** Spark's {@code StreamingListenerBatchStarted}. */
public record StreamingListenerBatchStarted(BatchInfo batchInfo) { }
