package io.freshet.spark.streaming.kafka010;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Spark's {@code LocationStrategies}; in Freshet's single process they all read the same way. */
public final class LocationStrategies {
  private static final LocationStrategy ANY = new LocationStrategy() { };

  private LocationStrategies() {
  }

  public static LocationStrategy PreferConsistent() {
    return ANY;
  }

  public static LocationStrategy PreferBrokers() {
    return ANY;
  }

  public static LocationStrategy PreferFixed(Map<TopicPartition, String> hostMap) {
    return ANY;
  }
}
