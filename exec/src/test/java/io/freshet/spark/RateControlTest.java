package io.freshet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.storage.StorageLevel;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.receiver.Receiver;
import io.freshet.spark.streaming.scheduler.StreamingListener;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import io.freshet.spark.streaming.scheduler.rate.PIDRateEstimator;
import io.freshet.spark.util.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.Option;

/** Rate controls: Spark's PID estimator, the receivers' maxRate, and backpressure adapting batch sizes. */
class RateControlTest {
  private JavaStreamingContext ssc;

  @AfterEach
  void tearDown() {
    if (ssc != null) {
      ssc.stop();
    }
  }

  @Test
  void thePidEstimatorFollowsTheProcessingRate() {
    PIDRateEstimator pid = new PIDRateEstimator(1000, 1.0, 0.2, 0.0, 100);
    assertEquals(Option.empty(), pid.compute(1000, 1000, 500, 0), "the first batch only sets the rate");
    assertEquals(Option.apply(2000.0), pid.compute(2000, 1000, 500, 0), "processed at 2000/s, stays at 2000/s");
    // 1000 records took 1 s with 0.5 s of scheduling delay: 2000 - (2000 - 1000) - 0.2 * (500 * 1000 / 1000).
    assertEquals(Option.apply(900.0), pid.compute(3000, 1000, 1000, 500));
    assertEquals(Option.apply(100.0), pid.compute(4000, 10, 1000, 5000), "never below minRate");
    assertEquals(Option.empty(), pid.compute(5000, 0, 1000, 0), "an empty batch changes nothing");
    assertEquals(Option.empty(), pid.compute(4000, 10, 10, 0), "nor does a batch not after the last one");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PIDRateEstimator(0, 1, 0.2, 0, 100));
    assertEquals("requirement failed: Specified batch interval 0 in PIDRateEstimator is invalid.", e.getMessage());
  }

  /** Stores {@code n} numbers at once when it starts. */
  static final class Burst extends Receiver<Integer> {
    private final int n;

    Burst(int n) {
      super(StorageLevel.MEMORY_ONLY);
      this.n = n;
    }

    @Override
    public void onStart() {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(i);
      }
      store(all);
    }

    @Override
    public void onStop() {
    }
  }

  /**
   * Runs 1 s batches on a manual clock whose output operation takes {@code processingMs} of that clock; returns
   * the records of each batch and (through {@code numRecords}) what the batch info reported.
   */
  private List<Long> run(SparkConf conf, int stored, int batches, long processingMs, List<Long> numRecords)
      throws Exception {
    ssc = new JavaStreamingContext(conf.setMaster("local[2]").setAppName("rates")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock"), Durations.seconds(1));
    ManualClock clock = (ManualClock) ssc.clock();
    List<Long> sizes = new CopyOnWriteArrayList<>();
    LinkedBlockingQueue<Time> done = new LinkedBlockingQueue<>();
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        numRecords.add(completed.batchInfo().numRecords());
        done.add(completed.batchInfo().batchTime());
      }
    });
    ssc.receiverStream(new Burst(stored)).foreachRDD(rdd -> {
      sizes.add(rdd.count());
      clock.advance(processingMs); // the batch takes this long
    });
    ssc.start();
    for (int i = 0; i < batches; i++) {
      clock.advance(1000 - clock.getTimeMillis() % 1000); // to the next batch time
      assertTrue(done.poll(30, TimeUnit.SECONDS) != null, "batch " + i + " completed");
    }
    return sizes;
  }

  @Test
  void receiverMaxRateSpreadsWhatWasStoredOverTheBatches() throws Exception {
    List<Long> numRecords = new ArrayList<>();
    List<Long> sizes = run(new SparkConf().set("spark.streaming.receiver.maxRate", "10"), 25, 4, 0, numRecords);
    assertEquals(List.of(10L, 10L, 5L, 0L), sizes);
    assertEquals(sizes, numRecords, "BatchInfo.numRecords counts each batch's input");
  }

  @Test
  void backpressureRaisesTheRateToWhatTheBatchesCanProcess() throws Exception {
    SparkConf conf = new SparkConf().set("spark.streaming.backpressure.enabled", "true")
        .set("spark.streaming.backpressure.initialRate", "1000");
    // Every batch takes 0.5 s whatever its size: the estimator sees a processing rate of twice the batch size.
    List<Long> sizes = run(conf, 20_000, 4, 500, new ArrayList<>());
    assertEquals(List.of(1000L, 1000L, 2000L, 4000L), sizes);
  }

  @Test
  void backpressureStaysUnderTheReceiverMaxRate() throws Exception {
    SparkConf conf = new SparkConf().set("spark.streaming.backpressure.enabled", "true")
        .set("spark.streaming.backpressure.initialRate", "1000").set("spark.streaming.receiver.maxRate", "3000");
    List<Long> sizes = run(conf, 20_000, 4, 500, new ArrayList<>());
    assertEquals(List.of(1000L, 1000L, 2000L, 3000L), sizes);
  }
}
