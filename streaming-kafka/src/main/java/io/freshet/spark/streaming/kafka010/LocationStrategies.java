package io.freshet.spark.streaming.kafka010;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Spark's {@code LocationStrategies}; in Freshet's single process they all read the same way. */
public final class LocationStrategies {
  private static final LocationStrategy CONSISTENT = new LocationStrategy() { };
  private static final LocationStrategy BROKERS = new LocationStrategy() { };

  private LocationStrategies() {
  }

  public static LocationStrategy PreferConsistent() {
    return CONSISTENT;
  }

  public static LocationStrategy PreferBrokers() {
    return BROKERS;
  }

  public static LocationStrategy PreferFixed(Map<TopicPartition, String> hostMap) {
    return CONSISTENT;
  }
}
