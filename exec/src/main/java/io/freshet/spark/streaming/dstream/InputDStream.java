package io.freshet.spark.streaming.dstream;

import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.StreamingContext;
import java.util.List;

/** Spark's {@code InputDStream}: a stream with no parent, an RDD per batch, registered with its context. */
public abstract class InputDStream<T> extends DStream<T> {
  protected InputDStream(StreamingContext ssc) {
    super(ssc);
    ssc.addInputStream(this);
  }

  private volatile long lastRecords;

  /** The number of records in this input's latest batch (the batch info's numRecords, and rate estimates). */
  public long lastRecords() {
    return lastRecords;
  }

  protected void recordBatchSize(long records) {
    lastRecords = records;
  }

  /**
   * The rate this input should keep to, in records per second, as the backpressure estimator sets it after each
   * batch; inputs that can limit their rate (receivers, the direct Kafka stream) override this.
   */
  public void setRate(double recordsPerSecond) {
  }

  /**
   * Drops the batches handed to this input that no output asked for and none can ask for any more: those older
   * than what the stream remembers (its windows' length), or all but {@code now} for an input no output uses.
   */
  protected void forgetUnused(java.util.Map<io.freshet.spark.streaming.Time, ?> handed,
      io.freshet.spark.streaming.Time now) {
    Duration keep = rememberDuration();
    io.freshet.spark.streaming.Time oldest = keep == null ? now : now.minus(keep);
    handed.keySet().removeIf(t -> t.less(oldest) || (keep != null && t.equals(oldest)));
  }

  /** Releases what the input holds open (the context stopping). */
  public void stop() {
  }

  @Override
  public final Duration slideDuration() {
    return ssc.batchDuration();
  }

  @Override
  public final List<DStream<?>> dependencies() {
    return List.of();
  }
}
