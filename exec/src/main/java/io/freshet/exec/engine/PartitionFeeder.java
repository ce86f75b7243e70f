package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a batch's source rows to the partitions. A source that gives its range as several splits (the files of a
 * batch) has each split read and decoded by a partition on its own thread, each partition taking the next split
 * when it is done with one; otherwise the query's thread reads and
 * the batches go round-robin to the partitions, at most two waiting per partition. Each source batch gets a
 * number, so that the rows the root emits can be written in the order of reading: as soon as a batch and every
 * batch before it are done, its rows go to the sink, so that a query without state holds no more than the
 * batches in flight.
 */
final class PartitionFeeder {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionFeeder.class);

  private final Pipeline[] pipelines;
  private final PartitionThreads threads;
  private final Stage stage;
  private final LongSupplier clock;
  /** Per partition and source, what computes the watermark of the splits the partition reads (null: none). */
  private final WatermarkTracker.Observer[][] observers;
  private final Semaphore permits;
  /** A source batch (or split) handed to a partition, by its number (the last of a split's batches). */
  private record InFlight(long sequence, IntSupplier partition, Future<?> task) {
  }

  /** The source batches handed to partitions in the current batch whose rows have not gone to the sink, in order. */
  private final ArrayDeque<InFlight> dispatched = new ArrayDeque<>();
  /** Where the root's rows go, in order, on the query's thread. */
  private Consumer<Batch> sink;
  /** A partition failed on a source batch of the current batch. */
  private volatile boolean dispatchFailed;
  /** The number of the next source batch of the current batch. */
  private long sequence;

  PartitionFeeder(Pipeline[] pipelines, PartitionThreads threads, Stage stage, List<WatermarkTracker> watermarks,
      RunContext context, LongSupplier clock) {
    this.pipelines = pipelines;
    this.threads = threads;
    this.stage = stage;
    this.clock = clock;
    this.permits = new Semaphore(2 * pipelines.length);
    this.observers = new WatermarkTracker.Observer[pipelines.length][watermarks.size()];
    for (int p = 0; p < pipelines.length && pipelines.length > 1; p++) {
      for (int i = 0; i < watermarks.size(); i++) {
        if (watermarks.get(i) != null) {
          observers[p][i] = watermarks.get(i).observer(context.childAllocator("watermark-" + i + "-p" + p));
        }
      }
    }
  }

  /** A batch begins; the root's rows go to {@code sink} (which does not own them) in the order of reading. */
  void startBatch(Consumer<Batch> sink) {
    this.sink = sink;
    sequence = 0;
  }

  /**
   * Reads source {@code i}'s rows after {@code from} up to {@code to} into the partitions (its plan id is
   * {@code planId}; {@code tracker}, when not null, computes its watermark). Returns the rows and the nanoseconds
   * spent reading and decoding, summed over the threads. The batches may still be on their way: {@link #awaitAll}.
   */
  long[] read(int i, Source source, int planId, Offset from, Offset to, WatermarkTracker tracker) {
    List<Iterator<Batch>> splits = pipelines.length == 1
        ? List.of(stage.run(source.description(), () -> source.read(from, to)))
        : stage.run(source.description(), () -> source.readSplits(from, to));
    if (splits.isEmpty()) {
      return new long[] {0, 0};
    }
    if (splits.size() > 1) {
      long base = sequence;
      sequence += (long) splits.size() << 32;
      return readSplits(i, source, planId, splits, base, tracker);
    }
    long[] rows = {0};
    long nanos = readAll(stage, source, splits.get(0), batch -> {
      rows[0] += batch.rowCount();
      if (tracker != null) {
        try {
          tracker.observe(batch, clock.getAsLong());
        } catch (RuntimeException | Error e) {
          batch.close();
          throw e;
        }
      }
      long number = sequence++;
      dispatch((int) (number % pipelines.length), planId, batch, number);
    });
    return new long[] {rows[0], nanos};
  }

  /**
   * Reads the splits at the same time: each partition's thread takes the next split nobody has taken, decodes it
   * and pushes its batches through its plan, then takes another, so that a partition that drew smaller splits
   * takes more of them. The k-th batch of split j is number base + j * 2^32 + k, so that the root's rows keep the
   * order of reading the splits one after another, whoever read them; each split's rows go to the sink once it and
   * the splits before it are read, and no split is started before the one {@code 2 x readers} places earlier is read,
 * which bounds what waits in memory. After a failure the partitions take no more splits. Each partition computes the
   * watermark of what it read; the source's tracker takes the largest once all are done.
   */
  private long[] readSplits(int i, Source source, int planId, List<Iterator<Batch>> splits, long base,
      WatermarkTracker tracker) {
    int count = splits.size();
    AtomicLong rows = new AtomicLong();
    AtomicLong nanos = new AtomicLong();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger reading = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    int[] readBy = new int[count];
    List<CompletableFuture<Void>> read = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      int split = j;
      read.add(new CompletableFuture<>());
      dispatched.add(new InFlight(base + ((long) j << 32) + (1L << 32) - 1, () -> readBy[split], read.get(j)));
    }
    // The last reader to stop closes the splits nobody took (after a failure), unread.
    Runnable stopped = () -> {
      if (reading.decrementAndGet() == 0) {
        for (int j = Math.min(next.getAndSet(count), count); j < count; j++) {
          try {
            close(source, splits.get(j));
          } finally {
            read.get(j).complete(null);
          }
        }
      }
    };
    // A split's rows are held until it and the splits before it are read: a reader starts a split only once the
    // one this many places before it is read, so that a slow split cannot leave the others reading the whole batch
    // into memory behind it.
    int ahead = 2 * Math.min(pipelines.length, count);
    List<Future<?>> readers = new ArrayList<>();
    reading.incrementAndGet();
    try {
      for (int p = 0; p < Math.min(pipelines.length, count); p++) {
        int partition = p;
        reading.incrementAndGet();
        try {
          readers.add(threads.submit(partition, () -> {
            try {
              WatermarkTracker.Observer observer = observers[partition][i];
              int waited = 0;
              for (int j; !failed.get() && (j = next.getAndIncrement()) < count; ) {
                // Every split up to ahead places earlier is read: the oldest unread one is at most that far back.
                boolean ok = true;
                for (; ok && waited <= j - ahead; waited++) {
                  ok = awaitRead(read.get(waited));
                }
                if (!ok || failed.get()) {
                  // An earlier split failed: this one is closed unread (and counted done whatever closing does).
                  try {
                    close(source, splits.get(j));
                  } finally {
                    read.get(j).complete(null);
                  }
                  break;
                }
                readBy[j] = partition;
                long first = base + ((long) j << 32);
                long[] k = {0};
                try {
                  nanos.addAndGet(readAll(stage, source, splits.get(j), batch -> {
                    try (batch) {
                      rows.addAndGet(batch.rowCount());
                      if (observer != null) {
                        observer.observe(batch);
                      }
                      pipelines[partition].push(planId, batch, first + k[0]++);
                    }
                  }));
                  read.get(j).complete(null);
                } catch (RuntimeException | Error e) {
                  failed.set(true);
                  read.get(j).completeExceptionally(e);
                  throw e;
                }
              }
            } finally {
              stopped.run();
            }
          }));
        } catch (RuntimeException | Error e) {
          failed.set(true);
          stopped.run();
          throw e;
        }
      }
    } finally {
      stopped.run();
    }
    Throwable failure = null;
    try {
      // Writes each split's rows as soon as it and the splits before it are read.
      writeDone(true);
    } catch (RuntimeException | Error e) {
      // The readers take no more splits (a sink that failed would otherwise see the rest read into memory).
      failed.set(true);
      failure = e;
      abandon(e);
    } finally {
      dispatchFailed = false;
    }
    try {
      PartitionThreads.awaitAll(readers);
    } catch (RuntimeException | Error e) {
      // The failure of a split is its reader's too.
      failure = e == failure ? failure : EpochRunner.addFailure(failure, e);
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    }
    if (tracker != null) {
      long now = clock.getAsLong();
      for (WatermarkTracker.Observer[] partition : observers) {
        partition[i].drainInto(tracker, now);
      }
    }
    return new long[] {rows.get(), nanos.get()};
  }

  /**
   * Hands a source batch (which the partition then owns) to partition {@code partition}: on this thread with one
   * partition, otherwise on the partition's thread, with at most two batches per partition waiting.
   */
  private void dispatch(int partition, int planId, Batch batch, long number) {
    if (pipelines.length == 1) {
      try (batch) {
        pipelines[0].push(planId, batch, number);
      }
      return;
    }
    try {
      if (dispatchFailed) {
        // A partition failed: stop reading, and report its failure.
        awaitAll();
      }
      writeDone(false);
    } catch (RuntimeException | Error e) {
      batch.close();
      throw e;
    }
    permits.acquireUninterruptibly();
    try {
      dispatched.add(new InFlight(number, () -> partition, threads.submit(partition, () -> {
        try (batch) {
          pipelines[partition].push(planId, batch, number);
        } catch (RuntimeException | Error e) {
          dispatchFailed = true;
          throw e;
        } finally {
          permits.release();
        }
      })));
    } catch (RuntimeException e) {
      permits.release();
      batch.close();
      throw e;
    }
  }

  /**
   * Writes the rows of the source batches that are done, in order, up to the first that is not ({@code wait}:
   * waits for every one); a failed one is thrown.
   */
  private void writeDone(boolean wait) {
    InFlight head;
    while ((head = dispatched.peekFirst()) != null && (wait || head.task().isDone())) {
      dispatched.pollFirst();
      PartitionThreads.awaitAll(List.of(head.task()));
      Pipeline.forEachClosing(pipelines[head.partition().getAsInt()].takeOutputsUpTo(head.sequence()).stream()
          .map(Pipeline.Output::batch).toList(), sink);
    }
  }

  /**
   * Waits for the source batches handed to partitions, writing their rows in order; the first failure is thrown
   * once every one has ended.
   */
  void awaitAll() {
    try {
      writeDone(true);
    } catch (RuntimeException | Error e) {
      abandon(e);
      throw e;
    } finally {
      dispatchFailed = false;
    }
  }

  /** After a failure in a batch: waits for what the partitions are still doing, adding their failures. */
  void abandon(Throwable failure) {
    List<Future<?>> tasks = new ArrayList<>();
    for (InFlight f : dispatched) {
      tasks.add(f.task());
    }
    dispatched.clear();
    try {
      PartitionThreads.awaitAll(tasks);
    } catch (RuntimeException | Error e) {
      if (e != failure) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Reads every batch of {@code batches}, handing each to {@code each} (which owns it), and closes the iterator
   * whatever happens; returns the nanoseconds spent reading and decoding.
   */
  static long readAll(Stage stage, Source source, Iterator<Batch> batches, Consumer<Batch> each) {
    long nanos = 0;
    try {
      while (true) {
        long r0 = System.nanoTime();
        boolean more = stage.run(source.description(), batches::hasNext);
        nanos += System.nanoTime() - r0;
        if (!more) {
          return nanos;
        }
        each.accept(stage.run(source.description(), batches::next));
      }
    } finally {
      close(source, batches);
    }
  }

  /** Waits until {@code split} is read (or closed unread); false when its reading failed. */
  private static boolean awaitRead(CompletableFuture<Void> split) {
    try {
      split.join();
      return true;
    } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
      return false;
    }
  }

  private static void close(Source source, Iterator<Batch> batches) {
    if (batches instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("Closing the input of {}: {}", source.description(), e.toString());
      }
    }
  }
}
