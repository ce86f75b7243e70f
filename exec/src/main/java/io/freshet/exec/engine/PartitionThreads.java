package io.freshet.exec.engine;

import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One thread per partition of a query, so that each partition's operators are only ever used by one thread at a
 * time and need no locks. With one partition the work runs on the caller's thread.
 */
final class PartitionThreads implements AutoCloseable {
  private final ExecutorService[] threads;

  PartitionThreads(int partitions, String queryName) {
    this.threads = new ExecutorService[partitions > 1 ? partitions : 0];
    for (int p = 0; p < threads.length; p++) {
      String name = "freshet-query-" + queryName + "-partition-" + p;
      // A large stack (reserved, not committed) for expressions nested thousands deep, as on the query thread.
      threads[p] = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, name, 256L << 20);
        t.setDaemon(true);
        return t;
      });
    }
  }

  /** Runs {@code work} on partition {@code partition}'s thread (or here, with one partition). */
  Future<?> submit(int partition, Runnable work) {
    if (threads.length == 0) {
      work.run();
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
    return threads[partition].submit(work);
  }

  /** Runs {@code work} for every partition, each on its thread, and waits for all of them. */
  void runAll(int partitions, IntConsumer work) {
    List<Future<?>> running = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      running.add(submit(p, () -> work.accept(partition)));
    }
    awaitAll(running);
  }

  /** Waits for every task; the first failure is thrown once all have ended, the others added to it. */
  static void awaitAll(List<Future<?>> tasks) {
    Throwable failure = null;
    boolean interrupted = false;
    for (Future<?> task : tasks) {
      // The partitions' work must end before anything they use is released: wait through interrupts.
      while (true) {
        try {
          task.get();
          break;
        } catch (ExecutionException e) {
          failure = EpochRunner.addFailure(failure, e.getCause());
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    } else if (failure != null) {
      throw FreshetException.internal("A partition of the query failed: " + failure, failure);
    }
  }

  /** Stops the threads once the work they were given is done. */
  @Override
  public void close() {
    for (ExecutorService thread : threads) {
      thread.shutdown();
    }
    boolean interrupted = false;
    for (ExecutorService thread : threads) {
      while (true) {
        try {
          if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
