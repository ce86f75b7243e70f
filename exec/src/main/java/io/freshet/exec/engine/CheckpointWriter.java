package io.freshet.exec.engine;

import io.freshet.streaming.FreshetException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a batch's checkpoint (its encoded state files, then its commit log entry) on a background thread while
 * the next batch runs, for the continuous trigger. At most one checkpoint is in flight: handing over the next one
 * first waits for the previous one. What must follow a durable checkpoint (telling the sources their offsets
 * committed) runs on the query's thread, at the next {@link #awaitDurable} or {@link #pollDurable}, never on the
 * background thread. A background write that fails fails the query at the next of those calls, with an error
 * naming the batch; nothing after it is committed.
 */
final class CheckpointWriter implements AutoCloseable {
  private final ExecutorService thread;
  private Future<?> inFlight;
  private long inFlightBatch = -1;
  private Runnable afterDurable;

  CheckpointWriter(String label) {
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "freshet-checkpoint-" + label);
      t.setDaemon(true);
      return t;
    });
  }

  /** Whether a checkpoint is being written now. */
  boolean inFlight() {
    return inFlight != null;
  }

  /**
   * Waits for the previous checkpoint, then starts writing batch {@code batchId}'s: {@code write} runs on the
   * background thread, {@code afterDurable} on the query's thread once it has finished.
   */
  void submit(long batchId, Runnable write, Runnable afterDurable) {
    awaitDurable();
    this.inFlightBatch = batchId;
    this.afterDurable = afterDurable;
    this.inFlight = thread.submit(write);
  }

  /** Finishes the checkpoint in flight, if any, when it is already written; never waits. */
  void pollDurable() {
    if (inFlight != null && inFlight.isDone()) {
      awaitDurable();
    }
  }

  /**
   * Waits until the checkpoint in flight, if any, is on disk and runs what follows it; throws when its write
   * failed.
   */
  void awaitDurable() {
    if (inFlight == null) {
      return;
    }
    CrashPoint.reached("checkpoint-await");
    Future<?> waiting = inFlight;
    long batchId = inFlightBatch;
    Runnable after = afterDurable;
    inFlight = null;
    afterDurable = null;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          waiting.get();
          break;
        } catch (InterruptedException e) {
          // A checkpoint half written must not be left behind by a stop: wait it out.
          interrupted = true;
        } catch (ExecutionException e) {
          throw failed(batchId, e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    after.run();
  }

  private static FreshetException failed(long batchId, Throwable cause) {
    FreshetException.Kind kind = cause instanceof FreshetException f ? f.kind() : FreshetException.Kind.INTERNAL;
    return new FreshetException(kind, "The asynchronous checkpoint of batch " + batchId + " failed, and the query "
        + "stopped: " + cause.getMessage() + ". Its output is in the sink; a restart runs the batch again from its "
        + "logged offsets and the sink skips what it holds. Fix the cause, then restart the query", cause);
  }

  /** Stops the background thread; a checkpoint still in flight is waited for by {@link #awaitDurable} first. */
  @Override
  public void close() {
    thread.shutdown();
  }
}
