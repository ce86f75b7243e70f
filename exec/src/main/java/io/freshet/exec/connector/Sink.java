package io.freshet.exec.connector;

import io.freshet.streaming.OutputMode;

/**
 * Where a query writes its result (the modes it takes are its provider's, checked when the query starts). Exactly-once delivery rests on {@link #beginBatch}: a sink that already
 * holds batch {@code batchId} (the engine re-runs an uncommitted batch after a restart) must ignore it.
 */
public interface Sink extends AutoCloseable {

  BatchWriter beginBatch(long batchId, OutputMode mode);

  /**
   * Checks, when the query starts, that the sink and the checkpoint agree, for a sink that keeps a record of the
   * batches it committed (a manifest or a transaction log): it holds every batch up to {@code lastCommitted}, the
   * newest the checkpoint committed, and none after {@code lastPlanned}, the newest whose offsets the checkpoint
   * logged (a batch it holds beyond that would be planned again over other input and then skipped as held). A
   * disagreement is an error naming what is missing, never a batch written again or skipped silently. It changes
   * nothing: a clean-up it finds to do waits for {@link #settle}. Does nothing by default.
   */
  default void checkCommitted(long lastCommitted, long lastPlanned) {
  }

  /**
   * Carries out the clean-up {@link #checkCommitted} found to do (the file sink's unfinished commits), once every
   * start check has passed (the checkpoint's chain, the sink's, the state restore, the sources'), before any batch
   * runs: a refused start changes nothing. Does nothing by default.
   */
  default void settle() {
  }

  default String description() {
    return getClass().getSimpleName();
  }

  @Override
  default void close() {
  }
}
