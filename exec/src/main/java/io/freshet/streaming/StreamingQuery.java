package io.freshet.streaming;

import java.util.List;
import java.util.UUID;

/** A running streaming query, as Spark's {@code StreamingQuery}. */
public interface StreamingQuery {

  /** Stable across restarts from the same checkpoint. */
  UUID id();

  /** New at every start. */
  UUID runId();

  /** The query name, or null when none was given. */
  String name();

  boolean isActive();

  StreamingQueryStatus status();

  /** The progress of the last micro-batch, or null before the first. */
  StreamingQueryProgress lastProgress();

  /** The progress of the last micro-batches, oldest first (a bounded number of them). */
  List<StreamingQueryProgress> recentProgress();

  /**
   * Blocks until every row available in the sources when this is called (precisely: when the first trigger after
   * the call begins) has been processed and committed, or the query ends; throws the query's error if it failed.
   * The sources are held at that point while it waits, so it returns on a source that always has new data too.
   * Afterwards {@link #lastProgress()} is not null: a trigger without new data also reports progress (at most every
   * 10 s, as Spark does).
   */
  void processAllAvailable();

  /** Blocks until the query ends; throws its error if it failed. */
  void awaitTermination();

  /** Waits at most {@code timeoutMs}; returns whether the query ended. Throws its error if it failed. */
  boolean awaitTermination(long timeoutMs);

  /** Stops the query after the batch in flight, and waits for it to end. */
  void stop();

  /** The error that ended the query, or null. */
  StreamingQueryException exception();
}
