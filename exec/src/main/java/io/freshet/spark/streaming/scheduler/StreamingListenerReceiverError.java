package io.freshet.spark.streaming.scheduler;

/** Spark's {@code StreamingListenerReceiverError}. */
public record StreamingListenerReceiverError(ReceiverInfo receiverInfo) { }
