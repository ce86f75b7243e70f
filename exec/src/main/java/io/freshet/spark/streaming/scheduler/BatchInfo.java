package io.freshet.spark.streaming.scheduler;

import io.freshet.spark.streaming.Time;
import scala.Option;

/** Spark's {@code BatchInfo}: when a batch was due, submitted, started and done, and its delays (as Options). */
public final class BatchInfo implements java.io.Serializable {
  private final Time batchTime;
  private final long submissionTime;
  private final Long processingStartTime;
  private final Long processingEndTime;
  private final long numRecords;

  public BatchInfo(Time batchTime, long submissionTime, Long processingStartTime, Long processingEndTime,
      long numRecords) {
    this.batchTime = batchTime;
    this.submissionTime = submissionTime;
    this.processingStartTime = processingStartTime;
    this.processingEndTime = processingEndTime;
    this.numRecords = numRecords;
  }

  public Time batchTime() {
    return batchTime;
  }

  public long submissionTime() {
    return submissionTime;
  }

  public Option<Object> processingStartTime() {
    return Option.apply(processingStartTime);
  }

  public Option<Object> processingEndTime() {
    return Option.apply(processingEndTime);
  }

  /** From submission to the start of processing. */
  public Option<Object> schedulingDelay() {
    return Option.apply(processingStartTime == null ? null : processingStartTime - submissionTime);
  }

  /** From the start of processing to its end. */
  public Option<Object> processingDelay() {
    return Option.apply(processingStartTime == null || processingEndTime == null ? null
        : processingEndTime - processingStartTime);
  }

  /** Scheduling delay plus processing delay. */
  public Option<Object> totalDelay() {
    return Option.apply(processingEndTime == null ? null : processingEndTime - submissionTime);
  }

  public long numRecords() {
    return numRecords;
  }

  @Override
  public String toString() {
    return "BatchInfo(" + batchTime + ", submitted " + submissionTime + ", started " + processingStartTime
        + ", ended " + processingEndTime + ")";
  }
}
