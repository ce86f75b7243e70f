package io.freshet.exec.engine;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import io.freshet.streaming.StreamingQueryListener;
import io.freshet.streaming.StreamingQueryProgress;
import io.freshet.streaming.StreamingQueryStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running query, as {@link StreamingQuery} shows it: one thread of its own runs the {@link MicroBatchLoop}
 * over an {@link EpochRunner} (the run's sources, the plan's {@link Pipeline} and the sink) while this handle
 * answers status, progress, stop and wait calls from any thread.
 */
public final class StreamExecution implements StreamingQuery {
  private static final Logger LOG = LoggerFactory.getLogger(StreamExecution.class);
  /** The watermark before any event time was seen. */
  public static final long NO_WATERMARK = Long.MIN_VALUE;

  private final QueryDefinition definition;
  private final BufferAllocator parentAllocator;
  private final Checkpoint checkpoint;
  /** What the query's plan does with the checkpoint's state; recorded in it once the query has resumed. */
  private final QueryEvolution.Upgrade upgrade;
  /** This query's hold on its checkpoint, released when it ends. */
  private final CheckpointLock checkpointLock;
  private final boolean temporaryCheckpoint;
  private final UUID id;
  private final UUID runId = UUID.randomUUID();
  private final Consumer<StreamExecution> onTermination;
  /** Where the query's listener events go. */
  private final Consumer<StreamingQueryListener.Event> events;
  private final Thread thread;
  private final ProgressRecorder progress;

  private final Object lock = new Object();
  private volatile boolean stopRequested;
  private boolean terminated;
  /** The query has ended (isActive() is false), though waiters may not have been woken yet. */
  private boolean ended;
  private StreamingQueryException error;
  private long requestedGeneration;
  private long caughtUpGeneration;
  private StreamingQueryStatus status = new StreamingQueryStatus("Initializing sources", false, false);
  /** What processing-time triggers follow: the definition's clock when it is a {@link ManualClock}. */
  private final LongSupplier triggerClock;
  private final long startedAt;
  private final Runnable wake = () -> {
    synchronized (lock) {
      lock.notifyAll();
    }
  };

  private StreamExecution(QueryDefinition definition, BufferAllocator parentAllocator,
      Consumer<StreamExecution> onTermination, CheckpointLock held, Consumer<StreamingQueryListener.Event> events) {
    this.definition = definition;
    this.parentAllocator = parentAllocator;
    this.onTermination = onTermination;
    this.events = events;
    Path location = definition.checkpointLocation();
    this.temporaryCheckpoint = location == null;
    if (location == null) {
      try {
        location = Files.createTempDirectory("freshet-checkpoint-");
      } catch (IOException e) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create a temporary checkpoint directory: "
            + e.getMessage() + "; set a checkpoint location", e);
      }
    }
    // Taken before anything in the checkpoint is read, and held until the query ends.
    if (held != null && !held.root().equals(location)) {
      throw new IllegalArgumentException("the lock held is of " + held.root() + ", not of " + location);
    }
    this.checkpointLock = held != null ? held.borrowed()
        : CheckpointLock.take(location, definition.name() == null ? "(unnamed)" : definition.name());
    try {
      this.checkpoint = new Checkpoint(location);
      this.id = checkpoint.queryId();
      this.upgrade = QueryEvolution.apply(definition.plan(), checkpoint, checkpoint.latestCommitBatch().isPresent(),
          definition.stateStore().pagesToDisk());
      for (QueryEvolution.Decision d : upgrade.decisions()) {
        if (d.verdict() != QueryEvolution.Verdict.NEW && !d.why().equals("unchanged")) {
          LOG.warn("Query {}: the state of {} is {}: {}", definition.name(), d.node(),
              d.verdict().name().toLowerCase(java.util.Locale.ROOT), d.why());
        }
      }
    } catch (RuntimeException | Error e) {
      checkpointLock.close();
      throw e;
    }
    this.triggerClock = definition.clock() instanceof ManualClock manual ? manual : System::currentTimeMillis;
    // Taken when the query is started, on the caller's thread: a batch job's batch times count from here.
    this.startedAt = triggerClock.getAsLong();
    if (triggerClock instanceof ManualClock manual) {
      manual.onAdvance(wake);
    }
    this.progress = new ProgressRecorder(id.toString(), runId.toString(), definition.name(), events,
        definition.idleProgressIntervalMs());
    // A large stack (reserved, not committed) for expressions nested thousands deep, which compile recursively.
    this.thread = new Thread(null, this::run, "freshet-query-" + (definition.name() == null ? id : definition.name()),
        256L << 20);
    this.thread.setDaemon(true);
  }

  /**
   * Starts a query on its own thread. {@code onStart} runs first, on the caller's thread, before the query can
   * end; {@code onTermination} runs on the query's thread when it ends, before anyone waiting for the end wakes.
   */
  public static StreamExecution start(QueryDefinition definition, BufferAllocator allocator,
      Consumer<StreamExecution> onStart, Consumer<StreamExecution> onTermination) {
    return start(definition, allocator, onStart, onTermination, null);
  }

  /**
   * As above, under the lock of the definition's checkpoint that the caller took already ({@code held}, null to
   * take it here); the caller releases it, after the query ends.
   */
  public static StreamExecution start(QueryDefinition definition, BufferAllocator allocator,
      Consumer<StreamExecution> onStart, Consumer<StreamExecution> onTermination, CheckpointLock held) {
    return start(definition, allocator, onStart, onTermination, held, event -> { });
  }

  /**
   * As above, posting the query's {@link StreamingQueryListener} events to {@code events}: started here, before the
   * query's thread starts; a progress or idle event per trigger; terminated last, once the query has ended.
   */
  public static StreamExecution start(QueryDefinition definition, BufferAllocator allocator,
      Consumer<StreamExecution> onStart, Consumer<StreamExecution> onTermination, CheckpointLock held,
      Consumer<StreamingQueryListener.Event> events) {
    StreamExecution execution = new StreamExecution(definition, allocator, onTermination, held, events);
    try {
      onStart.accept(execution);
    } catch (RuntimeException | Error e) {
      execution.checkpointLock.close();
      throw e;
    }
    events.accept(new StreamingQueryListener.QueryStartedEvent(execution.id, execution.runId, definition.name(),
        Instant.ofEpochMilli(execution.startedAt).toString()));
    LOG.info("Starting query {} (runId {}) with checkpoint {}", execution.label(), execution.runId,
        execution.checkpoint.root());
    execution.thread.start();
    return execution;
  }

  public Path checkpointLocation() {
    return checkpoint.root();
  }

  /** When this run started, in epoch milliseconds by the query's trigger clock. */
  public long startedAt() {
    return startedAt;
  }

  public QueryDefinition definition() {
    return definition;
  }

  // ---------------------------------------------------------------- the query thread

  private void run() {
    BufferAllocator allocator = null;
    EpochRunner runner = null;
    Throwable failure = null;
    try {
      allocator = parentAllocator.newChildAllocator("query-" + (definition.name() == null ? id : definition.name()),
          0, parentAllocator.getLimit());
      RunContext context = new RunContext(allocator, id, runId, checkpoint.root());
      Stage stage = new Stage(label(), parentAllocator.getLimit());
      runner = new EpochRunner(definition, context, checkpoint, stage, progress);
      runner.open();
      new MicroBatchLoop(definition, checkpoint, runner, progress, control(), triggerClock, startedAt, label())
          .run();
    } catch (Throwable t) {
      failure = t;
    } finally {
      if (triggerClock instanceof ManualClock manual) {
        manual.removeListener(wake);
      }
      if (runner != null) {
        try {
          failure = runner.close(failure);
        } catch (RuntimeException | Error e) {
          // Closing must not keep the query from ending: waiters would wait forever.
          failure = EpochRunner.addFailure(failure, e);
        }
      }
      if (allocator != null) {
        try {
          allocator.close();
        } catch (IllegalStateException e) {
          failure = EpochRunner.addFailure(failure, FreshetException.internal("Query " + label()
              + " leaked Arrow buffers when it stopped: " + e.getMessage(), e));
        }
      }
      finish(failure);
    }
  }

  /** How the loop on the query's thread sees stop requests, processAllAvailable() calls and the status. */
  private MicroBatchLoop.Control control() {
    return new MicroBatchLoop.Control() {
      @Override
      public boolean stopRequested() {
        return stopRequested;
      }

      @Override
      public boolean waitUntil(long time) {
        return StreamExecution.this.waitUntil(time);
      }

      @Override
      public boolean waitForWork(long time) {
        return StreamExecution.this.waitForWork(time);
      }

      @Override
      public long requestedGeneration() {
        synchronized (lock) {
          return requestedGeneration;
        }
      }

      @Override
      public void caughtUp(long generation) {
        synchronized (lock) {
          caughtUpGeneration = Math.max(caughtUpGeneration, generation);
          lock.notifyAll();
        }
      }

      @Override
      public void setStatus(String message, List<String> sourceStatuses, boolean dataAvailable) {
        String text = sourceStatuses.isEmpty() ? message : message + "; " + String.join("; ", sourceStatuses);
        synchronized (lock) {
          status = new StreamingQueryStatus(text, dataAvailable, dataAvailable, sourceStatuses);
        }
      }

      @Override
      public void resumed() {
        upgrade.record(checkpoint);
      }
    };
  }

  /** Waits until {@code time} by the trigger clock, or a stop; returns whether a stop was requested. */
  private boolean waitUntil(long time) {
    return waitUntil(time, false);
  }

  /**
   * Waits until {@code time} by the trigger clock, a stop, or a processAllAvailable() call the loop has not answered
   * yet; returns whether a stop was requested.
   */
  private boolean waitForWork(long time) {
    return waitUntil(time, true);
  }

  /** Waits until {@code time}, a stop or, when {@code forWork}, an unanswered processAllAvailable() call. */
  private boolean waitUntil(long time, boolean forWork) {
    synchronized (lock) {
      long now;
      while (!stopRequested && !(forWork && requestedGeneration > caughtUpGeneration)
          && (now = triggerClock.getAsLong()) < time) {
        try {
          // A manual clock wakes the thread when it moves.
          lock.wait(triggerClock instanceof ManualClock ? 0 : time - now);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return true;
        }
      }
      return stopRequested;
    }
  }

  /**
   * Whether {@code failure} is a user error and nothing else: no unexpected exception (which may be a bug of ours)
   * among its causes, and nothing suppressed (a failure while closing, such as leaked buffers).
   */
  private static boolean userErrorOnly(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      boolean user = t instanceof FreshetException f && f.kind() == FreshetException.Kind.USER;
      boolean expected = t == failure ? user : user || t instanceof java.io.IOException
          || t instanceof com.fasterxml.jackson.core.JsonProcessingException;
      if (!expected || t.getSuppressed().length > 0) {
        return false;
      }
    }
    return true;
  }

  private void finish(Throwable failure) {
    StreamingQueryException failed = null;
    if (failure != null) {
      String message = "Query " + (definition.name() == null ? "" : definition.name() + " ") + "[id = " + id
          + ", runId = " + runId + "] terminated with exception: " + (failure.getMessage() != null
          ? failure.getMessage() : failure.toString());
      failed = new StreamingQueryException(definition.name(), message, failure);
      if (userErrorOnly(failure)) {
        // It says what and where, and what to do: its stack would only hide that.
        LOG.error(message);
      } else {
        LOG.error(message, failure);
      }
    } else {
      LOG.info("Query {} stopped", label());
    }
    checkpointLock.close();
    if (temporaryCheckpoint && failure == null) {
      deleteRecursively(checkpoint.root());
    }
    synchronized (lock) {
      // Known to the termination callback already (awaitAnyTermination throws it).
      error = failed;
      ended = true;
      status = new StreamingQueryStatus("Stopped", false, false);
    }
    // Posted before anyone waiting for the end wakes up: a session closed then still delivers it.
    events.accept(new StreamingQueryListener.QueryTerminatedEvent(id, runId,
        failed == null ? null : failed.getMessage()));
    // Leave the session's list of active queries before anyone waiting on termination wakes up.
    if (onTermination != null) {
      try {
        onTermination.accept(this);
      } catch (RuntimeException e) {
        LOG.warn("Query {} termination callback failed", label(), e);
      }
    }
    synchronized (lock) {
      terminated = true;
      lock.notifyAll();
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete temporary checkpoint {}: {}", root, e.getMessage());
    }
  }

  // ---------------------------------------------------------------- StreamingQuery

  @Override
  public UUID id() {
    return id;
  }

  @Override
  public UUID runId() {
    return runId;
  }

  @Override
  public String name() {
    return definition.name();
  }

  @Override
  public boolean isActive() {
    synchronized (lock) {
      return !ended;
    }
  }

  @Override
  public StreamingQueryStatus status() {
    synchronized (lock) {
      return status;
    }
  }

  @Override
  public StreamingQueryProgress lastProgress() {
    return progress.last();
  }

  /**
   * Per id of the plan ({@code definition().plan()}), the rows its node or source has emitted over this run's
   * batches, all partitions together (SHOW QUERY shows them on the plan); empty before the first batch.
   */
  public long[] nodeRows() {
    return progress.totalNodeRows();
  }

  /** The rows this run of the query has read, over all its batches (SHOW QUERIES shows it). */
  public long totalInputRows() {
    return progress.totalInputRows();
  }

  @Override
  public List<StreamingQueryProgress> recentProgress() {
    return progress.recent();
  }

  private void checkNotQueryThread(String method) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("Cannot call " + method + "() from the thread of query " + label()
          + " (e.g. inside foreachBatch): it would wait for itself");
    }
  }

  @Override
  public void processAllAvailable() {
    checkNotQueryThread("processAllAvailable");
    synchronized (lock) {
      long generation = ++requestedGeneration;
      // Wakes a loop waiting for work (with a manual clock it would wait until the clock moves).
      lock.notifyAll();
      while (!terminated && caughtUpGeneration < generation) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw FreshetException.user("Interrupted while waiting for query " + label(), e);
        }
      }
      throwIfFailed();
    }
  }

  @Override
  public void awaitTermination() {
    awaitTermination(Long.MAX_VALUE);
  }

  @Override
  public boolean awaitTermination(long timeoutMs) {
    checkNotQueryThread("awaitTermination");
    long deadline = timeoutMs == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMs;
    synchronized (lock) {
      while (!terminated) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        try {
          lock.wait(deadline == Long.MAX_VALUE ? 0 : left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      throwIfFailed();
      return true;
    }
  }

  private void throwIfFailed() {
    if (error != null) {
      throw error;
    }
  }

  /**
   * Whether {@link #stop} was called: a sink that waits for its reader (a JDBC result set) stops waiting, so that the
   * query can end.
   */
  public boolean stopRequested() {
    return stopRequested;
  }

  @Override
  public void stop() {
    synchronized (lock) {
      stopRequested = true;
      lock.notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public StreamingQueryException exception() {
    synchronized (lock) {
      return error;
    }
  }

  /** The query as messages name it: its name and id, or its id when it has no name (a SELECT's). */
  private String label() {
    return definition.name() == null ? "[id = " + id + "]" : definition.name() + " [id = " + id + "]";
  }

  @Override
  public String toString() {
    return "StreamingQuery[" + Objects.requireNonNullElse(definition.name(), "") + ", id=" + id + "]";
  }
}
