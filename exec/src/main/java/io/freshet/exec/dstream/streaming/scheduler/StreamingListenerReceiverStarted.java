package io.freshet.exec.dstream.streaming.scheduler;

/** Spark's {@code StreamingListenerReceiverStarted}. */
public record StreamingListenerReceiverStarted(ReceiverInfo receiverInfo) { }
