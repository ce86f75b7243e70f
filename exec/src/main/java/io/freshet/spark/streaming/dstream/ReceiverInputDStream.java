package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.StreamingContext;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.receiver.Receiver;
import io.freshet.spark.streaming.scheduler.ReceiverInfo;
import io.freshet.spark.streaming.scheduler.StreamingListenerReceiverError;
import io.freshet.spark.streaming.scheduler.StreamingListenerReceiverStarted;
import io.freshet.spark.streaming.scheduler.StreamingListenerReceiverStopped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code receiverStream}: runs a user {@link Receiver} while the context runs; what it stored before a batch is
 * that batch's RDD. Received data is held in memory, and with {@code spark.streaming.receiver.writeAheadLog.enable}
 * also in a write-ahead log in the checkpoint ({@link ReceivedDataLog}) before {@code store} returns, so that a
 * restart loses nothing a receiver stored: a reliable receiver acknowledges its source after store. With a
 * rate ({@code spark.streaming.receiver.maxRate}, or the backpressure estimate), a batch takes at most the rate
 * times the batch interval, the rest waits for the next batches, and {@code store} blocks while two batches'
 * worth are waiting, which slows the receiver down to the rate, as Spark's block generator does.
 */
public final class ReceiverInputDStream<T> extends InputDStream<T> implements Receiver.Supervisor<T> {
  private final transient Receiver<T> receiver;
  private final int id;
  private final transient ReceivedBuffer<T> buffer = new ReceivedBuffer<>();
  private final transient java.util.Map<Time, RDD<T>> blocks = new java.util.HashMap<>();
  private volatile double rate = Double.NaN;
  private transient ReceivedDataLog wal;
  /** With the write-ahead log, the sequence number of the buffer's first item. */
  private long headSeq;
  private volatile boolean started;
  private volatile boolean stopped;
  private volatile String lastError;

  public ReceiverInputDStream(StreamingContext ssc, Receiver<T> receiver) {
    super(ssc);
    this.receiver = receiver;
    this.id = ssc.nextInputId();
  }

  private ReceiverInfo info(boolean active) {
    return new ReceiverInfo(id, receiver.getClass().getSimpleName(), active, "localhost", lastError,
        lastError, lastError == null ? -1 : System.currentTimeMillis());
  }

  /** Starts the receiver (the context starting). */
  public void startReceiver() {
    receiver.attachSupervisor(this, id);
    stopped = false;
    try {
      receiver.onStart();
      started = true;
      ssc.listeners().forEach(l -> l.onReceiverStarted(new StreamingListenerReceiverStarted(info(true))));
    } catch (RuntimeException e) {
      restart("Error starting receiver " + id, e, -1);
    }
  }

  /** Stops the receiver (the context stopping). */
  public void stopReceiver() {
    if (stopped) {
      return;
    }
    stopped = true;
    started = false;
    try {
      receiver.onStop();
    } finally {
      ssc.listeners().forEach(l -> l.onReceiverStopped(new StreamingListenerReceiverStopped(info(false))));
    }
  }

  @Override
  public void push(T item) {
    pushAll(java.util.Collections.singletonList(item).iterator());
  }

  @Override
  public void pushAll(Iterator<T> items) {
    List<T> all = new ArrayList<>();
    items.forEachRemaining(all::add);
    synchronized (buffer) {
      long limit = perBatchLimit();
      while (limit != Long.MAX_VALUE && buffer.size() >= 2 * limit && !stopped) {
        // Waits for the batches to take what is waiting (generateBlock notifies).
        try {
          buffer.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          // Nothing was stored: say so, so that a reliable receiver does not acknowledge it.
          throw new IllegalStateException("Interrupted while waiting to store (the receiver's rate limit); the "
              + "data was not stored", e);
        }
        limit = perBatchLimit();
      }
      if (wal != null) {
        wal.append(all);
      }
      buffer.addAll(all);
    }
  }

  /**
   * Opens the write-ahead log in {@code checkpoint} before the receiver starts: what was stored and not in a
   * committed batch ({@code committed}, null when none) comes back, into the batch that had it or the next ones;
   * items of the program's own classes only as {@code classes} allows. {@code enabledBefore}: the checkpoint
   * records (in {@code record}) that this receiver's log was enabled by an earlier start, so the log must be there.
   * Nothing in the checkpoint changes until {@link #settleLog}.
   */
  @SuppressWarnings("unchecked")
  public void openLog(java.nio.file.Path checkpoint, Time committed, StateClasses classes, boolean enabledBefore,
      java.nio.file.Path record) {
    synchronized (buffer) {
      wal = new ReceivedDataLog(checkpoint, id, "receiver " + id + " (" + receiver.getClass().getSimpleName() + ")",
          classes);
      List<Object> pending = wal.recover(committed, enabledBefore, record);
      headSeq = wal.nextSeq() - pending.size();
      buffer.clear(); // what an earlier, refused start of this context read back
      buffer.addAll((List<T>) pending);
    }
  }

  /**
   * Once the start can no longer be refused, and before the checkpoint records the log as enabled: makes what
   * {@link #openLog} found (a dropped record cut off, the first block of a log's first run).
   */
  public void settleLog() {
    synchronized (buffer) {
      wal.settle();
    }
  }

  /** The receiver's number, which names its write-ahead log in the checkpoint. */
  public int receiverId() {
    return id;
  }

  @Override
  public void stop() {
    synchronized (buffer) {
      if (wal != null) {
        wal.close();
      }
    }
  }

  /** The most records a batch takes: the rate times the batch interval; unlimited without a rate. */
  private long perBatchLimit() {
    long maxRate = ssc.conf().getLong("spark.streaming.receiver.maxRate", 0);
    double r = rate;
    double limit = Double.isNaN(r) ? (maxRate > 0 ? maxRate : Double.NaN) : (maxRate > 0 ? Math.min(r, maxRate) : r);
    if (Double.isNaN(limit)) {
      return Long.MAX_VALUE;
    }
    return Math.max(1, (long) (limit * ssc.batchDuration().milliseconds() / 1000.0));
  }

  @Override
  public void setRate(double recordsPerSecond) {
    rate = recordsPerSecond;
  }

  /**
   * At batch {@code time}: what the receiver stored, up to the rate, becomes that batch's RDD, a partition per
   * block of what was received (see {@link ReceivedBuffer}).
   */
  @SuppressWarnings("unchecked")
  public void generateBlock(Time time) {
    List<List<T>> taken;
    long count = 0;
    synchronized (buffer) {
      List<Object> again = wal == null ? null : wal.replayed(time);
      if (again != null) {
        // The batch runs again after a restart: the same items.
        ReceivedBuffer<T> replay = new ReceivedBuffer<>();
        replay.addAll((List<T>) again);
        taken = replay.take(Long.MAX_VALUE);
      } else {
        taken = buffer.take(perBatchLimit());
      }
      for (List<T> block : taken) {
        count += block.size();
      }
      if (again == null && wal != null) {
        wal.block(time, headSeq, headSeq + count);
        headSeq += count;
      }
      buffer.notifyAll();
    }
    recordBatchSize(count);
    blocks.put(time, new RDD<>(taken));
    forgetUnused(blocks, time);
  }

  @Override
  public void restart(String message, Throwable error, int delayMs) {
    reportError(message, error);
    int delay = delayMs >= 0 ? delayMs : (int) ssc.conf().getLong("spark.streaming.receiverRestartDelay", 2000);
    Thread t = new Thread(() -> {
      stopReceiver();
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
      if (ssc.getState() == io.freshet.spark.streaming.StreamingContextState.ACTIVE) {
        startReceiver();
      }
    }, "freshet-receiver-restart-" + id);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void stop(String message, Throwable error) {
    if (error != null) {
      reportError(message, error);
    }
    stopReceiver();
  }

  @Override
  public void reportError(String message, Throwable error) {
    lastError = message + (error == null ? "" : ": " + error);
    ssc.listeners().forEach(l -> l.onReceiverError(new StreamingListenerReceiverError(info(started))));
  }

  @Override
  public boolean isStarted() {
    return started;
  }

  @Override
  public boolean isStopped() {
    return stopped;
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    RDD<T> block = blocks.remove(validTime);
    return block == null ? RDD.empty() : block;
  }
}
