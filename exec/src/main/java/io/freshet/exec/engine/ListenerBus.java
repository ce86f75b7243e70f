package io.freshet.exec.engine;

import io.freshet.streaming.StreamingQueryListener;
import io.freshet.streaming.StreamingQueryListener.Event;
import io.freshet.streaming.StreamingQueryListener.QueryIdleEvent;
import io.freshet.streaming.StreamingQueryListener.QueryProgressEvent;
import io.freshet.streaming.StreamingQueryListener.QueryStartedEvent;
import io.freshet.streaming.StreamingQueryListener.QueryTerminatedEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events of a session's queries to its {@link StreamingQueryListener}s, as Spark's
 * {@code StreamingQueryListenerBus}: queries {@link #accept post} events without waiting, and one thread of the
 * bus hands them to every listener in the order they were posted. The thread starts with the first listener and
 * ends with {@link #close}. An event posted while no listener is registered is dropped.
 */
public final class ListenerBus implements Consumer<Event>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);

  private final List<StreamingQueryListener> listeners = new CopyOnWriteArrayList<>();
  private final Deque<Event> queue = new ArrayDeque<>();
  private final String name;
  private Thread thread;
  /** An event is being handed to the listeners. */
  private boolean delivering;
  private boolean closed;

  /** @param name names the bus's thread */
  public ListenerBus(String name) {
    this.name = name;
  }

  public void addListener(StreamingQueryListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    synchronized (queue) {
      listeners.add(listener);
      if (thread == null && !closed) {
        thread = new Thread(this::deliverAll, "freshet-listener-bus-" + name);
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  /** Removes one registration of {@code listener}; it hears nothing after the event being delivered now. */
  public void removeListener(StreamingQueryListener listener) {
    listeners.remove(listener);
  }

  /** Queues {@code event} for the listeners; returns at once. */
  @Override
  public void accept(Event event) {
    synchronized (queue) {
      if (closed || listeners.isEmpty()) {
        return;
      }
      queue.addLast(event);
      queue.notifyAll();
    }
  }

  /** Waits until every event posted so far was delivered, at most {@code timeoutMs}; returns whether it was. */
  public boolean waitUntilEmpty(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (queue) {
      while (!queue.isEmpty() || delivering) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        queue.wait(left);
      }
      return true;
    }
  }

  private void deliverAll() {
    while (true) {
      Event event;
      synchronized (queue) {
        delivering = false;
        queue.notifyAll();
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (queue.isEmpty()) {
          return;
        }
        event = queue.removeFirst();
        delivering = true;
      }
      for (StreamingQueryListener listener : listeners) {
        try {
          deliver(listener, event);
        } catch (RuntimeException | LinkageError e) {
          LOG.warn("Listener {} failed on {}: {}", listener, event.getClass().getSimpleName(), e.toString(), e);
        }
      }
    }
  }

  private static void deliver(StreamingQueryListener listener, Event event) {
    if (event instanceof QueryStartedEvent e) {
      listener.onQueryStarted(e);
    } else if (event instanceof QueryProgressEvent e) {
      listener.onQueryProgress(e);
    } else if (event instanceof QueryIdleEvent e) {
      listener.onQueryIdle(e);
    } else if (event instanceof QueryTerminatedEvent e) {
      listener.onQueryTerminated(e);
    }
  }

  /** Delivers what was posted already, then ends the thread; later events are dropped. */
  @Override
  public void close() {
    Thread t;
    synchronized (queue) {
      closed = true;
      queue.notifyAll();
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
