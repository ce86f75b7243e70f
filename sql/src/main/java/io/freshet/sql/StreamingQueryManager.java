package io.freshet.sql;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.streaming.StreamingQuery;
import java.util.List;
import java.util.UUID;

/** The session's running queries, as Spark's {@code spark.streams()}. */
public final class StreamingQueryManager {
  private final List<StreamExecution> queries;

  StreamingQueryManager(List<StreamExecution> queries) {
    this.queries = queries;
  }

  public List<StreamingQuery> active() {
    return List.copyOf(queries);
  }

  /** The active query with this id, or null. */
  public StreamingQuery get(UUID id) {
    return queries.stream().filter(q -> q.id().equals(id)).findFirst().orElse(null);
  }
}
