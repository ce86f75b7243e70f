package io.freshet.jdbc;

import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;

/**
 * The rows of a running SELECT as a result set's cursor reads them, in process and remote alike: frames fetched
 * one after another while the query runs, so that {@code next()} waits for the next row or the end of the query.
 * Nothing is fetched before the first {@code next()}, so {@code executeQuery} returns at once. It also ends the
 * query early — stopping it on the engine — when the statement's max rows were read, when its query timeout
 * passed ({@link QueryTimeout}), or when the result set is closed or cancelled.
 */
final class StreamingRows implements Iterable<Object> {

  /** Where frames come from, and how the query behind them is stopped. */
  interface Fetch {
    Meta.Frame fetch(long offset, int max) throws NoSuchStatementException, MissingResultsException;
  }

  /** The query timeout passed; the query was stopped. */
  static final class QueryTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QueryTimeout(int seconds) {
      super("The query timeout of " + seconds + " s (Statement.setQueryTimeout) passed; the query was stopped");
    }
  }

  private final Meta.Frame firstFrame;
  private final Fetch fetch;
  private final Runnable stop;
  private final long maxRows;
  private final int timeoutSeconds;
  private final long deadline;

  StreamingRows(AvaticaStatement statement, Meta.Frame firstFrame, Fetch fetch, Runnable stop) {
    this.firstFrame = firstFrame;
    this.fetch = fetch;
    this.stop = stop;
    long max = 0;
    int timeout = 0;
    if (statement != null) {
      try {
        max = statement.getLargeMaxRows();
        timeout = statement.getQueryTimeout();
      } catch (SQLException e) {
        // A closed statement: no limits to keep.
      }
    }
    this.maxRows = max;
    this.timeoutSeconds = timeout;
    this.deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000_000L : 0;
  }

  @Override
  public Iterator<Object> iterator() {
    return new Rows();
  }

  /** Reads frame after frame; closing it (the result set closes its cursor) stops the query. */
  private final class Rows implements Iterator<Object>, AutoCloseable {
    private Iterator<Object> rows = firstFrame == null ? List.of().iterator() : firstFrame.rows.iterator();
    private boolean done = firstFrame != null && firstFrame.done;
    private long offset;
    private volatile boolean stopped;

    @Override
    public boolean hasNext() {
      while (!rows.hasNext()) {
        if (done || stopped) {
          return false;
        }
        if (deadline != 0 && System.nanoTime() - deadline >= 0) {
          close();
          throw new QueryTimeout(timeoutSeconds);
        }
        Meta.Frame frame;
        try {
          frame = fetch.fetch(offset, AvaticaStatement.DEFAULT_FETCH_SIZE);
        } catch (NoSuchStatementException | MissingResultsException e) {
          frame = null;
        }
        if (frame == null) {
          done = true;
          return false;
        }
        rows = frame.rows.iterator();
        done = frame.done;
      }
      return true;
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      offset++;
      Object row = rows.next();
      if (maxRows > 0 && offset >= maxRows) {
        // The last row the statement may read: the query has given what was asked of it.
        close();
        rows = List.<Object>of().iterator();
      }
      return row;
    }

    @Override
    public void close() {
      if (!stopped && !done) {
        stopped = true;
        stop.run();
      }
      stopped = true;
    }
  }
}
