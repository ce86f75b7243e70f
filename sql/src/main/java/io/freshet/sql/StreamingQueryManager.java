package io.freshet.sql;

import io.freshet.exec.engine.ListenerBus;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import io.freshet.streaming.StreamingQueryListener;
import java.util.List;
import java.util.UUID;

/**
 * The session's running queries, as Spark's {@code spark.streams()}: the active ones, waiting for any of them to
 * end, and the {@link StreamingQueryListener}s that hear about every query of the session (those started by SQL
 * statements too).
 */
public final class StreamingQueryManager {
  private final List<StreamExecution> queries;
  private final ListenerBus listeners;
  private final Object terminations = new Object();
  /** Whether a query ended since the start or the last {@link #resetTerminated()}. */
  private boolean anyTerminated;
  /** The error of a query that failed since then (the latest one), or null. */
  private StreamingQueryException lastError;

  StreamingQueryManager(List<StreamExecution> queries, ListenerBus listeners) {
    this.queries = queries;
    this.listeners = listeners;
  }

  /** The queries running now. */
  public List<StreamingQuery> active() {
    return List.copyOf(queries);
  }

  /** The active query with this id, or null. */
  public StreamingQuery get(UUID id) {
    return queries.stream().filter(q -> q.id().equals(id)).findFirst().orElse(null);
  }

  /** The active query with this id (as {@link UUID#toString()} writes it), or null. */
  public StreamingQuery get(String id) {
    try {
      return get(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      throw FreshetException.user("'" + id + "' is not a query id (a UUID, as StreamingQuery.id() gives)", e);
    }
  }

  /**
   * Blocks until a query of this session ends, or returns at once if one ended since the session started or since
   * the last {@link #resetTerminated()}; throws the error of one that failed in that time, if any did.
   */
  public void awaitAnyTermination() {
    awaitAnyTermination(Long.MAX_VALUE);
  }

  /**
   * As {@link #awaitAnyTermination()}, waiting at most {@code timeoutMs} (more than 0); returns whether a query
   * ended.
   */
  public boolean awaitAnyTermination(long timeoutMs) {
    if (timeoutMs <= 0) {
      throw FreshetException.user("awaitAnyTermination's timeout must be more than 0 ms, not " + timeoutMs);
    }
    long deadline = timeoutMs == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMs;
    synchronized (terminations) {
      while (!anyTerminated) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        try {
          terminations.wait(deadline == Long.MAX_VALUE ? 0 : left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw FreshetException.user("Interrupted while waiting for a query to end", e);
        }
      }
      if (lastError != null) {
        throw lastError;
      }
      return true;
    }
  }

  /** Forgets the queries that ended so far, so that {@link #awaitAnyTermination()} waits for the next one. */
  public void resetTerminated() {
    synchronized (terminations) {
      anyTerminated = false;
      lastError = null;
    }
  }

  /** Registers a listener for the events of every query of the session from now on. */
  public void addListener(StreamingQueryListener listener) {
    listeners.addListener(listener);
  }

  /** Unregisters a listener (one registration of it); it hears nothing after the event it may be handling now. */
  public void removeListener(StreamingQueryListener listener) {
    listeners.removeListener(listener);
  }

  /** Called as a query ends (it has left the active queries). */
  void terminated(StreamExecution query) {
    synchronized (terminations) {
      anyTerminated = true;
      if (query.exception() != null) {
        lastError = query.exception();
      }
      terminations.notifyAll();
    }
  }
}
