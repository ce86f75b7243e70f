package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The queries of a session that are running: a query registers itself as it starts ({@link #started}) and leaves
 * when it terminates ({@link #ended}). (A second query on one checkpoint is refused by the checkpoint's lock, in
 * this session or any other process.) Thread-safe; {@link StreamingQueryManager} is its public view.
 */
final class QueryRegistry {
  private final List<StreamExecution> queries = new CopyOnWriteArrayList<>();
  private final StreamingQueryManager manager = new StreamingQueryManager(queries);

  /** Registers a starting query. */
  void started(StreamExecution query) {
    queries.add(query);
  }

  void ended(StreamExecution query) {
    queries.remove(query);
  }

  /** The queries running now. */
  List<StreamExecution> running() {
    return List.copyOf(queries);
  }

  StreamingQueryManager manager() {
    return manager;
  }

  /** Stops every running query. */
  void stopAll() {
    for (StreamExecution q : new ArrayList<>(queries)) {
      q.stop();
    }
  }
}
