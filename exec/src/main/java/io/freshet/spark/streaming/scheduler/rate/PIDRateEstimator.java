package io.freshet.spark.streaming.scheduler.rate;

import scala.Option;

/**
 * Spark's PID rate estimator. The error is how far the last rate is from the rate the batch was processed at;
 * the integral term is the scheduling delay turned into records (the backlog the rate must also work off), and
 * the derivative term the change of the error per second. The new rate is the last one minus the weighted terms,
 * at least {@code minRate}. The first batch with data only sets the starting rate (and returns none), as do
 * batches that are empty, not later than the last one, or took no time.
 */
public final class PIDRateEstimator implements RateEstimator {
  private final long batchIntervalMillis;
  private final double proportional;
  private final double integral;
  private final double derivative;
  private final double minRate;

  private boolean firstRun = true;
  private long latestTime = -1L;
  private double latestRate = -1D;
  private double latestError = -1L;

  public PIDRateEstimator(long batchIntervalMillis, double proportional, double integral, double derivative,
      double minRate) {
    require(batchIntervalMillis > 0, "Specified batch interval " + batchIntervalMillis
        + " in PIDRateEstimator is invalid.");
    require(proportional >= 0, "Proportional term " + proportional + " in PIDRateEstimator should be >= 0.");
    require(integral >= 0, "Integral term " + integral + " in PIDRateEstimator should be >= 0.");
    require(derivative >= 0, "Derivative term " + derivative + " in PIDRateEstimator should be >= 0.");
    require(minRate > 0, "Minimum rate in PIDRateEstimator should be > 0");
    this.batchIntervalMillis = batchIntervalMillis;
    this.proportional = proportional;
    this.integral = integral;
    this.derivative = derivative;
    this.minRate = minRate;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("requirement failed: " + message);
    }
  }

  @Override
  public synchronized Option<Object> compute(long time, long numElements, long processingDelay,
      long schedulingDelay) {
    if (time <= latestTime || numElements <= 0 || processingDelay <= 0) {
      return Option.empty();
    }
    double delaySinceUpdate = (time - latestTime) / 1000.0;
    double processingRate = numElements / (double) processingDelay * 1000;
    double error = latestRate - processingRate;
    double historicalError = schedulingDelay * processingRate / batchIntervalMillis;
    double dError = (error - latestError) / delaySinceUpdate;
    double newRate = Math.max(latestRate - proportional * error - integral * historicalError - derivative * dError,
        minRate);
    latestTime = time;
    if (firstRun) {
      latestRate = processingRate;
      latestError = 0D;
      firstRun = false;
      return Option.empty();
    }
    latestRate = newRate;
    latestError = error;
    return Option.apply(newRate);
  }
}
