package io.freshet.spark.streaming;

/** Spark's {@code StreamingContextState}. */
public enum StreamingContextState { INITIALIZED, ACTIVE, STOPPED }
