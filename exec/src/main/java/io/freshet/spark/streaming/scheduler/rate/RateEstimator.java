package io.freshet.spark.streaming.scheduler.rate;

import io.freshet.spark.SparkConf;
import io.freshet.spark.streaming.Duration;
import scala.Option;

/**
 * Spark's {@code RateEstimator}: after each batch, the rate (records per second) an input should keep to, from
 * how long the batch took; {@code None} when there is nothing to go on yet.
 */
public interface RateEstimator extends java.io.Serializable {
  Option<Object> compute(long time, long elements, long processingDelay, long schedulingDelay);

  /** The estimator {@code spark.streaming.backpressure.rateEstimator} names: only "pid", as in Spark. */
  static RateEstimator create(SparkConf conf, Duration batchInterval) {
    String name = conf.get("spark.streaming.backpressure.rateEstimator", "pid");
    if (!name.equals("pid")) {
      throw new IllegalArgumentException("Unknown rate estimator: " + name);
    }
    return new PIDRateEstimator(batchInterval.milliseconds(),
        conf.getDouble("spark.streaming.backpressure.pid.proportional", 1.0),
        conf.getDouble("spark.streaming.backpressure.pid.integral", 0.2),
        conf.getDouble("spark.streaming.backpressure.pid.derived", 0.0),
        conf.getDouble("spark.streaming.backpressure.pid.minRate", 100));
  }
}
