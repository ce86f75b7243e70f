package io.freshet.spark.streaming.scheduler;

/** Spark's {@code StreamingListenerReceiverStarted}. */
public record StreamingListenerReceiverStarted(ReceiverInfo receiverInfo) { }
