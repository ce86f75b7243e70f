package io.freshet.spark.streaming.scheduler;

/** Spark's {@code ReceiverInfo}: a receiver's stream id, name, whether it is active, and its last error. */
public record ReceiverInfo(int streamId, String name, boolean active, String location, String lastErrorMessage,
    String lastError, long lastErrorTime) { }
