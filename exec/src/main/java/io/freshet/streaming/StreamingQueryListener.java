package io.freshet.streaming;

import java.util.UUID;

/**
 * Hears about the queries of a session, as Spark's {@code StreamingQueryListener}: register one with
 * {@code session.streams().addListener(listener)}. Events come on the session's listener thread, one at a time and
 * in the order they happened (for each query: started, then a progress or idle event per trigger, then terminated),
 * after the fact: a slow listener delays the next events, never the query. An exception thrown by a listener is
 * logged and the next event is delivered as usual.
 */
public abstract class StreamingQueryListener {

  /** A query started; comes before any other event of its run. */
  public abstract void onQueryStarted(QueryStartedEvent event);

  /** A trigger ran a batch (a trigger that found no new data gives {@link #onQueryIdle} instead). */
  public abstract void onQueryProgress(QueryProgressEvent event);

  /**
   * A trigger found no new data: the first such trigger of a run, then at most every 10 s while the query stays
   * idle (as Spark's {@code noDataProgressEventInterval}). Does nothing unless overridden.
   */
  public void onQueryIdle(QueryIdleEvent event) {
  }

  /** A query ended: stopped, its input exhausted, or failed; the last event of its run. */
  public abstract void onQueryTerminated(QueryTerminatedEvent event);

  /** What a listener hears about. */
  public interface Event {
  }

  /**
   * A query started.
   *
   * @param id the query's id, stable across restarts from the same checkpoint
   * @param runId new at every start
   * @param name the query name, or null
   * @param timestamp when it started, ISO-8601 ({@code 2026-12-04T14:00:00.123Z})
   */
  public record QueryStartedEvent(UUID id, UUID runId, String name, String timestamp) implements Event {
  }

  /** A batch ran; {@code progress} is what {@link StreamingQuery#lastProgress()} gives for it. */
  public record QueryProgressEvent(StreamingQueryProgress progress) implements Event {
  }

  /** A trigger found no new data; {@code timestamp} is when it began, ISO-8601. */
  public record QueryIdleEvent(UUID id, UUID runId, String timestamp) implements Event {
  }

  /**
   * A query ended.
   *
   * @param exception the message of the error that ended it ({@link StreamingQuery#exception()}), or null when it
   *     was stopped or its input ended
   */
  public record QueryTerminatedEvent(UUID id, UUID runId, String exception) implements Event {
  }
}
