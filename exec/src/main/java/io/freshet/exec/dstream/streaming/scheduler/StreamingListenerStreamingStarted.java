package io.freshet.exec.dstream.streaming.scheduler;

/** Spark's {@code StreamingListenerStreamingStarted}: the time the context started. */
public record StreamingListenerStreamingStarted(long time) { }
