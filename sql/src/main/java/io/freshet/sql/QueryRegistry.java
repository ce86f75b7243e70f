package io.freshet.sql;

import io.freshet.exec.engine.ListenerBus;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.streaming.StreamingQueryListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The queries of a session that are running: a query registers itself as it starts ({@link #started}) and leaves
 * when it terminates ({@link #ended}). (A second query on one checkpoint is refused by the checkpoint's lock, in
 * this session or any other process.) Its {@link ListenerBus} takes the queries' listener events. Thread-safe;
 * {@link StreamingQueryManager} is its public view.
 */
final class QueryRegistry {
  private final List<StreamExecution> queries = new CopyOnWriteArrayList<>();
  private final ListenerBus listeners;
  private final StreamingQueryManager manager;
  private final QueryMonitor monitor = new QueryMonitor(this);
  /** The queries that ended, oldest first, the last {@link QueryMonitor#RETAINED} of them. */
  private final java.util.Deque<StreamExecution> ended = new java.util.ArrayDeque<>();
  /** Failed queries no longer in {@link #ended}. */
  private long failedForgotten;

  /** @param name names the thread that delivers listener events */
  QueryRegistry(String name) {
    this.listeners = new ListenerBus(name);
    this.manager = new StreamingQueryManager(queries, listeners);
  }

  /** Registers a starting query. */
  void started(StreamExecution query) {
    queries.add(query);
  }

  void ended(StreamExecution query) {
    queries.remove(query);
    synchronized (ended) {
      ended.addLast(query);
      while (ended.size() > QueryMonitor.RETAINED) {
        if (ended.removeFirst().exception() != null) {
          failedForgotten++;
        }
      }
    }
    manager.terminated(query);
  }

  /** Where the queries post their listener events. */
  java.util.function.Consumer<StreamingQueryListener.Event> events() {
    return listeners;
  }

  /** The queries that ended, oldest first (a bounded number of them). */
  List<StreamExecution> ended() {
    synchronized (ended) {
      return List.copyOf(ended);
    }
  }

  /** How many queries of this session failed. */
  long failed() {
    synchronized (ended) {
      return failedForgotten + ended.stream().filter(q -> q.exception() != null).count();
    }
  }

  /** The queries running now. */
  List<StreamExecution> running() {
    return List.copyOf(queries);
  }

  QueryMonitor monitor() {
    return monitor;
  }

  StreamingQueryManager manager() {
    return manager;
  }

  /** Stops every running query, then delivers their last events and ends the listener thread. */
  void stopAll() {
    for (StreamExecution q : new ArrayList<>(queries)) {
      q.stop();
    }
    listeners.close();
  }
}
