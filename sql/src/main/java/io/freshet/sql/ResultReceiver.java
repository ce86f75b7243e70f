package io.freshet.sql;

import io.freshet.streaming.Row;
import java.util.List;

/**
 * Receives the result of a query started with {@link Dataset#run(ResultReceiver)} while it runs: its rows as they
 * come, then its end. The JDBC driver's result sets read through one.
 */
public interface ResultReceiver {

  /**
   * Rows of the result, in order. Called on the query's own thread: blocking here holds the query back (it reads
   * no more input until this returns), which is how a slow reader slows a query down.
   */
  void rows(List<Row> rows) throws Exception;

  /** The query ended: its input ended, it was stopped, or it failed ({@code error} is then not null). */
  void end(Throwable error);
}
