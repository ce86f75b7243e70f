package io.freshet.exec.engine;

import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes checkpoint files on a background thread, in the order they are handed over, for the continuous trigger:
 * a batch's offset log entry while the batch runs, and its state files and commit entry while the next batch
 * runs. The order keeps the checkpoint's invariants: batch N+1's offset entry is written only after batch N's
 * commit entry, which is written only after batch N's state files, each forced to disk. The query's thread
 * calls {@link #awaitDurable} before a batch's output becomes visible (its sink commit), so that no sink ever
 * holds a batch whose offsets are not on disk, and so that at most one batch's checkpoint is in flight. What must
 * follow a durable commit (telling the sources) runs on the query's thread, never on the background one. After a
 * write fails nothing more is written, and the query fails at the next {@link #awaitDurable} or
 * {@link #pollDurable} with an error naming what failed, once what follows the writes before it has run.
 */
final class CheckpointWriter implements AutoCloseable {
  private final ExecutorService thread;
  /** Threads that write several files at once ({@link #writeAll}): forcing files to disk is mostly waiting. */
  private final ExecutorService files;
  /** The last write handed over; the writes run in order, so once it is done all are. */
  private Future<?> last;
  /** What to run on the query's thread once the writes handed over are done, in order, by write. */
  private final List<FollowUp> afterDurable = new ArrayList<>();
  /** How many writes were handed over; the number of the last one. */
  private long submitted;
  /** The number of the last write that succeeded; set by the background thread. */
  private volatile long durableUpTo;
  /** The first write that failed, and what it wrote; set by the background thread. */
  private volatile Throwable failure;
  private volatile String failedWrite;
  /** The failure was thrown once: the query is stopping, and closing does not report it again. */
  private boolean reported;

  CheckpointWriter(String label) {
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "freshet-checkpoint-" + label);
      t.setDaemon(true);
      return t;
    });
    this.files = Executors.newCachedThreadPool(task -> {
      Thread t = new Thread(task, "freshet-checkpoint-files-" + label);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code writes} (each of its own files) at once, on the background thread and threads beside it, and
   * returns when all are done; throws the first failure.
   */
  void writeAll(List<Runnable> writes) {
    List<Future<?>> running = new ArrayList<>();
    for (int i = 1; i < writes.size(); i++) {
      running.add(files.submit(writes.get(i)));
    }
    Throwable failed = null;
    try {
      if (!writes.isEmpty()) {
        writes.get(0).run();
      }
    } catch (RuntimeException | Error e) {
      failed = e; // the files beside it are still waited for: none is written once the query learns of this
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failed == null) {
          failed = e.getCause();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing checkpoint files", e);
      }
    }
    if (failed instanceof RuntimeException r) {
      throw r;
    }
    if (failed instanceof Error e) {
      throw e;
    }
    if (failed != null) {
      throw new IllegalStateException(failed);
    }
  }

  /**
   * Hands over {@code write}, which writes {@code what} (for the error when it fails); {@code after}, when not
   * null, runs on the query's thread once it is done.
   */
  void submit(String what, Runnable write, Runnable after) {
    long number = ++submitted;
    if (after != null) {
      afterDurable.add(new FollowUp(number, after));
    }
    last = thread.submit(() -> {
      if (failure != null) {
        return; // nothing is written after a failed write: the checkpoint stays a prefix of what was handed over
      }
      try {
        write.run();
        durableUpTo = number;
      } catch (RuntimeException | Error e) {
        failedWrite = what;
        failure = e;
      }
    });
  }

  /** Finishes the writes handed over when they are done already; never waits. */
  void pollDurable() {
    if (failure != null || last != null && last.isDone()) {
      awaitDurable();
    }
  }

  /**
   * Waits until every write handed over is on disk, then runs what follows them; throws when one of them failed.
   * Returns whether any write was still to wait for (then what followed it may have told the sources of a commit).
   */
  boolean awaitDurable() {
    boolean inFlight = last != null;
    if (inFlight) {
      CrashPoint.reached("checkpoint-await");
      Future<?> waiting = last;
      last = null;
      boolean interrupted = false;
      while (true) {
        try {
          waiting.get();
          break;
        } catch (InterruptedException e) {
          // A checkpoint half written must not be left behind by a stop: wait it out.
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException("unreachable: checkpoint writes catch their failures", e);
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    Throwable cause = failure;
    // What follows the writes that are on disk runs, those before a failed one too (as at once under the default
    // trigger: a source learns of a commit entry on disk even when the write after it failed).
    long durable = durableUpTo;
    List<FollowUp> after = afterDurable.stream().filter(f -> f.write() <= durable).toList();
    afterDurable.clear();
    if (cause == null) {
      after.forEach(f -> f.action().run());
      return inFlight;
    }
    if (reported) {
      return inFlight;
    }
    reported = true;
    FreshetException.Kind kind = cause instanceof FreshetException f ? f.kind() : FreshetException.Kind.INTERNAL;
    FreshetException failed = new FreshetException(kind, "Writing " + failedWrite + " in the background failed, "
        + "and the query stopped: " + cause.getMessage() + ". A restart resumes after the last batch whose commit "
        + "entry is on disk and runs the batch after it again (sinks skip what they hold); fix the cause, then "
        + "restart the query", cause);
    for (FollowUp f : after) {
      try {
        f.action().run();
      } catch (RuntimeException | Error e) {
        failed.addSuppressed(e);
      }
    }
    throw failed;
  }

  /** What runs on the query's thread once write number {@code write} is on disk. */
  private record FollowUp(long write, Runnable action) {
  }

  /** Stops the background thread; writes still in flight are waited for by {@link #awaitDurable} first. */
  @Override
  public void close() {
    thread.shutdown();
    files.shutdown();
  }
}
