package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.SparkConf;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.scheduler.StreamingListener;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import io.freshet.spark.util.ManualClock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Runs a context's 1-second batches one at a time on its manual clock, each waited for until it completed. */
final class ManualBatches implements StreamingListener {
  private final JavaStreamingContext ssc;
  private final LinkedBlockingQueue<Time> done = new LinkedBlockingQueue<>();

  ManualBatches(JavaStreamingContext ssc) {
    this.ssc = ssc;
    ssc.addStreamingListener(this);
  }

  /** A context of 1-second batches on a manual clock. */
  static JavaStreamingContext context(String appName) {
    return new JavaStreamingContext(new SparkConf().setMaster("local[2]").setAppName(appName)
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock"), Durations.seconds(1));
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
    done.add(batchCompleted.batchInfo().batchTime());
  }

  /** Runs the next batch. */
  void next() throws InterruptedException {
    ((ManualClock) ssc.clock()).advance(1000);
    assertTrue(done.poll(30, TimeUnit.SECONDS) != null, "a batch completed");
  }

  /**
   * Runs batches until {@code condition} holds, for input that arrives on another thread (a socket, a query):
   * between batches that found nothing it gives that thread a moment, at most 200 batches in all.
   */
  void until(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      next();
      if (!condition.getAsBoolean()) {
        Thread.sleep(20);
      }
    }
  }
}
