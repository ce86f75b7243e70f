package io.freshet.spark;

import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.scheduler.StreamingListener;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import io.freshet.spark.util.ManualClock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives a context's manual clock batch by batch: {@link #advance} moves it one batch interval and returns when
 * that batch has completed, so a test checks each batch's output without sleeping.
 */
final class BatchClock implements StreamingListener {
  private final ManualClock clock;
  private final long batchMs;
  private final LinkedBlockingQueue<Time> completed = new LinkedBlockingQueue<>();

  BatchClock(JavaStreamingContext ssc, long batchMs) {
    this.clock = (ManualClock) ssc.clock();
    this.batchMs = batchMs;
    ssc.addStreamingListener(this);
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
    completed.add(batchCompleted.batchInfo().batchTime());
  }

  /** Moves the clock {@code batches} intervals and waits for the batch of the new time. */
  Time advance(int batches) throws InterruptedException {
    clock.advance(batchMs * batches);
    Time target = new Time(clock.getTimeMillis());
    while (true) {
      Time done = completed.poll(30, TimeUnit.SECONDS);
      if (done == null) {
        throw new AssertionError("the batch of " + target + " did not complete in 30 s");
      }
      if (done.equals(target)) {
        return done;
      }
    }
  }

  Time advance() throws InterruptedException {
    return advance(1);
  }
}
