package io.freshet.spark.streaming.kafka010;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * Spark's {@code ConsumerStrategy}: which partitions to read (topics, a topic pattern, or given partitions), the
 * Kafka consumer's parameters, and offsets to start from (else the group's committed offsets, else the
 * consumer's {@code auto.offset.reset}, as in Spark).
 */
public final class ConsumerStrategy<K, V> {
  private final List<String> topics;
  private final Pattern pattern;
  private final List<TopicPartition> assigned;
  private final Map<String, Object> kafkaParams;
  private final Map<TopicPartition, Long> offsets;

  ConsumerStrategy(Collection<String> topics, Pattern pattern, Collection<TopicPartition> assigned,
      Map<String, Object> kafkaParams, Map<TopicPartition, ?> offsets) {
    this.topics = topics == null ? List.of() : List.copyOf(topics);
    this.pattern = pattern;
    this.assigned = assigned == null ? List.of() : List.copyOf(assigned);
    this.kafkaParams = Map.copyOf(kafkaParams);
    java.util.Map<TopicPartition, Long> given = new java.util.HashMap<>();
    if (offsets != null) {
      offsets.forEach((tp, o) -> given.put(tp, ((Number) o).longValue()));
    }
    this.offsets = Map.copyOf(given);
  }

  public Map<String, Object> executorKafkaParams() {
    return kafkaParams;
  }

  List<String> topics() {
    return topics;
  }

  Pattern pattern() {
    return pattern;
  }

  List<TopicPartition> assigned() {
    return assigned;
  }

  Map<TopicPartition, Long> offsets() {
    return offsets;
  }
}
