package io.freshet.exec.connector;

import io.freshet.exec.batch.Batch;

/**
 * Writes the output of one micro-batch: {@link #write} for each output batch (the writer does not own it and
 * must copy what it keeps), then {@link #commit}, or {@link #abort} when the batch failed.
 */
public interface BatchWriter {

  void write(Batch batch);

  /** Makes the batch's rows visible; must be idempotent per batch id across restarts. */
  void commit();

  default void abort() {
  }

  /** A writer that keeps nothing: for a batch a sink already holds, or a sink that discards its rows. */
  BatchWriter DISCARD = new BatchWriter() {
    @Override
    public void write(Batch batch) {
    }

    @Override
    public void commit() {
    }
  };
}
