package io.freshet.spark.streaming.kafka010;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/** Spark's {@code ConsumerStrategies}: {@code Subscribe}, {@code SubscribePattern} and {@code Assign}. */
public final class ConsumerStrategies {
  private ConsumerStrategies() {
  }

  public static <K, V> ConsumerStrategy<K, V> Subscribe(Collection<String> topics, Map<String, Object> kafkaParams) {
    return new ConsumerStrategy<>(topics, null, null, kafkaParams, null);
  }

  public static <K, V> ConsumerStrategy<K, V> Subscribe(Collection<String> topics, Map<String, Object> kafkaParams,
      Map<TopicPartition, Long> offsets) {
    return new ConsumerStrategy<>(topics, null, null, kafkaParams, offsets);
  }

  public static <K, V> ConsumerStrategy<K, V> SubscribePattern(Pattern pattern, Map<String, Object> kafkaParams) {
    return new ConsumerStrategy<>(null, pattern, null, kafkaParams, null);
  }

  public static <K, V> ConsumerStrategy<K, V> SubscribePattern(Pattern pattern, Map<String, Object> kafkaParams,
      Map<TopicPartition, Long> offsets) {
    return new ConsumerStrategy<>(null, pattern, null, kafkaParams, offsets);
  }

  public static <K, V> ConsumerStrategy<K, V> Assign(Collection<TopicPartition> topicPartitions,
      Map<String, Object> kafkaParams) {
    return new ConsumerStrategy<>(null, null, topicPartitions, kafkaParams, null);
  }

  public static <K, V> ConsumerStrategy<K, V> Assign(Collection<TopicPartition> topicPartitions,
      Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    return new ConsumerStrategy<>(null, null, topicPartitions, kafkaParams, offsets);
  }
}
