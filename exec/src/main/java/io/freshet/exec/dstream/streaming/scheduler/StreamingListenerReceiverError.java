package io.freshet.exec.dstream.streaming.scheduler;

/** Spark's {@code StreamingListenerReceiverError}. */
public record StreamingListenerReceiverError(ReceiverInfo receiverInfo) { }
