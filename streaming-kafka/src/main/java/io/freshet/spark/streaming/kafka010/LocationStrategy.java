package io.freshet.spark.streaming.kafka010;

/**
 * Spark's choice of where partitions are read. Freshet reads every partition in its one process, so the
 * strategies are accepted for compatibility and change nothing.
 */
public abstract class LocationStrategy {
  LocationStrategy() {
  }
}
