package io.freshet.exec.connector;

import io.freshet.streaming.OutputMode;
import java.util.Set;

/**
 * Where a query writes its result. Exactly-once delivery rests on {@link #beginBatch}: a sink that already
 * holds batch {@code batchId} (the engine re-runs an uncommitted batch after a restart) must ignore it.
 */
public interface Sink extends AutoCloseable {

  /** The output modes this sink can take; checked when the query starts. */
  Set<OutputMode> supportedModes();

  BatchWriter beginBatch(long batchId, OutputMode mode);

  default String description() {
    return getClass().getSimpleName();
  }

  @Override
  default void close() {
  }
}
