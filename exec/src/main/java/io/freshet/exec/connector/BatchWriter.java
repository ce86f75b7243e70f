package io.freshet.exec.connector;

import io.freshet.exec.batch.Batch;

/**
 * Writes the output of one micro-batch: {@link #write} for each output batch (the writer does not own it and
 * must copy what it keeps), in update mode {@link #delete} for rows that left the result, then {@link #commit},
 * or {@link #abort} when the batch failed. In update mode a written row replaces the row of the same key (the
 * query's {@link ConnectorContext#resultKey() result key}).
 */
public interface BatchWriter {

  void write(Batch batch);

  /**
   * In update mode, rows that left the result (a group whose rows were all taken back), with the result's columns;
   * the writer does not own the batch. A sink that keeps the result by its key removes them; one that writes a
   * stream of rows (Kafka, foreachBatch) writes only the rows of {@link #write}, as Spark's update mode does.
   */
  default void delete(Batch rows) {
  }

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
