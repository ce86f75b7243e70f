package io.freshet.jdbc;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.sql.ResultReceiver;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a running SELECT between the query, which adds them as its batches commit, and the result set, which
 * takes them a frame at a time. It holds at most {@link #CAPACITY} rows: a query whose reader falls behind waits
 * for it (it reads no more input meanwhile). Closing it drops what it holds and stops the query.
 */
final class ResultBuffer implements ResultReceiver {
  /** The most rows held for a reader. */
  static final int CAPACITY = 10_000;
  /** How often a query waiting for its reader looks whether it was stopped. */
  private static final long STOP_CHECK_MS = 200;

  /** A frame's rows and whether the result ended with them. */
  record Taken(List<Object> rows, boolean done) {
  }

  private final ArrayDeque<List<Object>> rows = new ArrayDeque<>();
  private StreamingQuery query;
  private boolean ended;
  private boolean closed;
  private Throwable error;
  private volatile long lastTaken = System.nanoTime();

  /** The query that fills this buffer, stopped when the buffer is closed. */
  synchronized void attach(StreamingQuery running) {
    this.query = running;
    if (closed) {
      stopAside(running);
    }
  }

  @Override
  public synchronized void rows(List<Row> batch) throws InterruptedException {
    for (Row row : batch) {
      while (rows.size() >= CAPACITY && !closed) {
        wait(STOP_CHECK_MS);
        if (query instanceof StreamExecution running && running.stopRequested()) {
          // Stopped (STOP QUERY from another client) while its reader had stopped reading: the rest of this batch
          // goes, so that the query can end; the reader gets what was held, then the end.
          return;
        }
      }
      if (closed) {
        return;
      }
      List<Object> values = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        values.add(ColumnTypes.value(row.get(i)));
      }
      rows.add(values);
      notifyAll();
    }
  }

  @Override
  public synchronized void end(Throwable failure) {
    ended = true;
    error = failure;
    notifyAll();
  }

  /**
   * Up to {@code max} rows, waiting at most {@code waitMs} for the first; {@code done} once the query ended and
   * every row was taken (or the buffer was closed). Throws the query's error once its rows are taken.
   */
  synchronized Taken take(int max, long waitMs) throws InterruptedException {
    lastTaken = System.nanoTime();
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    while (rows.isEmpty() && !ended && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    List<Object> out = new ArrayList<>();
    while (!rows.isEmpty() && out.size() < max) {
      out.add(rows.poll());
    }
    notifyAll();
    boolean done = closed || (ended && rows.isEmpty());
    if (done && error != null && !closed && out.isEmpty()) {
      throw error instanceof FreshetException f ? f
          : new FreshetException(FreshetException.Kind.INTERNAL, "The query failed: " + error.getMessage(), error);
    }
    return new Taken(out, done && (error == null || closed || out.isEmpty()));
  }

  /** Nanoseconds (of {@link System#nanoTime()}) when a reader last took rows. */
  long lastTaken() {
    return lastTaken;
  }

  /** Drops the rows held and stops the query, without waiting for its batch in flight. */
  void close() {
    StreamingQuery running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      rows.clear();
      notifyAll();
      running = query;
    }
    if (running != null) {
      stopAside(running);
    }
  }

  /** Stops a query on a thread of its own: stopping waits for the batch in flight to commit. */
  private static void stopAside(StreamingQuery query) {
    Thread stop = new Thread(query::stop, "freshet-jdbc-stop");
    stop.setDaemon(true);
    stop.start();
  }
}
