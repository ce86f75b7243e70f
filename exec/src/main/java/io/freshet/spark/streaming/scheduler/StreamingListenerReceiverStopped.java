package io.freshet.spark.streaming.scheduler;

/** Spark's {@code StreamingListenerReceiverStopped}. */
public record StreamingListenerReceiverStopped(ReceiverInfo receiverInfo) { }
