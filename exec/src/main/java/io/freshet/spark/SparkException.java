package io.freshet.spark;

/** Spark's {@code SparkException}: a failed job, with the cause. */
public class SparkException extends Exception {
  public SparkException(String message, Throwable cause) {
    super(message, cause);
  }

  public SparkException(String message) {
    super(message);
  }
}
