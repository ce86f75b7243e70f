package io.freshet.exec.dstream.streaming;

/** Spark's {@code StreamingContextState}. */
public enum StreamingContextState { INITIALIZED, ACTIVE, STOPPED }
