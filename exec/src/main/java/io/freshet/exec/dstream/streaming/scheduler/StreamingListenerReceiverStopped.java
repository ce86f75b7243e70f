package io.freshet.exec.dstream.streaming.scheduler;

/** Spark's {@code StreamingListenerReceiverStopped}. */
public record StreamingListenerReceiverStopped(ReceiverInfo receiverInfo) { }
