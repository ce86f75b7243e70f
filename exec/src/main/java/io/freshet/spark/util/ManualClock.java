package io.freshet.spark.util;

/**
 * Spark's {@code org.apache.spark.util.ManualClock}: selected with the setting {@code spark.streaming.clock}
 * (this class's name, or Spark's), it makes batches run when a test moves it, not when time passes.
 */
public class ManualClock extends io.freshet.exec.engine.ManualClock {
  public ManualClock() {
    super();
  }

  public ManualClock(long time) {
    super(time);
  }
}
