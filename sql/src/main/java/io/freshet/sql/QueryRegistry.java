package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The queries of a session that are running: a query registers itself as it starts ({@link #started}, which
 * refuses a second query on one checkpoint directory) and leaves when it terminates ({@link #ended}). Thread-safe;
 * {@link StreamingQueryManager} is its public view.
 */
final class QueryRegistry {
  private final List<StreamExecution> queries = new CopyOnWriteArrayList<>();
  private final StreamingQueryManager manager = new StreamingQueryManager(queries);

  /** Registers a starting query; refuses a second active query on the same checkpoint directory. */
  void started(StreamExecution query) {
    synchronized (queries) {
      for (StreamExecution other : queries) {
        if (other.checkpointLocation().toAbsolutePath().normalize()
            .equals(query.checkpointLocation().toAbsolutePath().normalize())) {
          throw FreshetException.user("Checkpoint location " + query.checkpointLocation() + " is in use by running "
              + "query " + other.name() + " [id = " + other.id() + "]; stop it first, or give this query its own "
              + "checkpoint location");
        }
      }
      queries.add(query);
    }
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
