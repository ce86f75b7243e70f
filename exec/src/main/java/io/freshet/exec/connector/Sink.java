package io.freshet.exec.connector;

import io.freshet.streaming.OutputMode;

/**
 * Where a query writes its result (the modes it takes are its provider's, checked when the query starts). Exactly-once delivery rests on {@link #beginBatch}: a sink that already
 * holds batch {@code batchId} (the engine re-runs an uncommitted batch after a restart) must ignore it.
 */
public interface Sink extends AutoCloseable {

  BatchWriter beginBatch(long batchId, OutputMode mode);

  default String description() {
    return getClass().getSimpleName();
  }

  @Override
  default void close() {
  }
}
