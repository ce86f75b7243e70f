package io.freshet.spark.rdd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs an RDD's partitions as tasks, as many at a time as the master's worker threads ({@code local[N]}: N;
 * {@code local[*]}: the cores; {@code local}: one), as Spark's local mode does. A task that starts tasks (a
 * function of one RDD acting on another) runs them itself, one after another.
 */
public final class Tasks {
  private static volatile ForkJoinPool pool;
  private static volatile int threads = Runtime.getRuntime().availableProcessors();

  private Tasks() {
  }

  /** The number of tasks run at a time, from a context's master URL. */
  public static synchronized void setThreads(int n) {
    int t = Math.max(1, n);
    if (t != threads) {
      // A new pool for the new count; the old one is left to finish what it runs (a task may still be submitted to
      // it by a job that fetched it already), and its idle threads end by themselves.
      threads = t;
      pool = null;
    }
  }

  public static int threads() {
    return threads;
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (Tasks.class) {
        p = pool;
        if (p == null) {
          java.util.concurrent.atomic.AtomicInteger names = new java.util.concurrent.atomic.AtomicInteger();
          p = new ForkJoinPool(threads, fj -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
            t.setName("freshet-task-" + names.getAndIncrement());
            t.setDaemon(true);
            return t;
          }, null, false);
          pool = p;
        }
      }
    }
    return p;
  }

  /** {@code task} of 0 … n-1, at most {@link #threads} at a time; the results in order; a task's error thrown. */
  public static <R> List<R> run(int n, IntFunction<R> task) {
    List<R> out = new ArrayList<>(n);
    if (n <= 1 || threads == 1 || Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) {
      for (int i = 0; i < n; i++) {
        out.add(task.apply(i));
      }
      return out;
    }
    ForkJoinPool p = pool();
    // A task's error is caught in the task and thrown here as it was (the pool would throw a copy of it).
    List<Future<Object[]>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      futures.add(p.submit(() -> {
        try {
          return new Object[] {task.apply(index), null};
        } catch (Throwable t) {
          return new Object[] {null, t};
        }
      }));
    }
    Throwable failure = null;
    for (Future<Object[]> f : futures) {
      Object[] outcome;
      try {
        outcome = f.get();
      } catch (ExecutionException e) {
        outcome = new Object[] {null, e.getCause()};
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(x -> x.cancel(true));
        throw new IllegalStateException("Interrupted while running an RDD's tasks", e);
      }
      @SuppressWarnings("unchecked")
      R r = (R) outcome[0];
      out.add(r);
      failure = failure == null ? (Throwable) outcome[1] : failure;
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    } else if (failure instanceof Error e) {
      throw e;
    } else if (failure != null) {
      throw new IllegalStateException(failure.toString(), failure);
    }
    return out;
  }
}
