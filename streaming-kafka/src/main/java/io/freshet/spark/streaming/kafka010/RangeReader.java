package io.freshet.spark.streaming.kafka010;

import io.freshet.streaming.FreshetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads offset ranges of Kafka partitions exactly ({@code fromOffset} included, {@code untilOffset} not) with one
 * consumer of the program's parameters, which never commits and never resets: the direct stream's batches and
 * {@link KafkaUtils#createRDD}.
 */
final class RangeReader<K, V> implements AutoCloseable {
  private final Map<String, Object> params;
  private final long timeoutMs;
  private final String what;
  private KafkaConsumer<K, V> consumer;

  /**
   * @param params the program's Kafka parameters (copied; auto-commit and offset reset are turned off)
   * @param timeoutMs how long a range may give no records before the read fails
   * @param what what reads, for messages ("the direct stream", "createRDD")
   */
  RangeReader(Map<String, Object> params, long timeoutMs, String what) {
    this.params = new java.util.HashMap<>(params);
    this.params.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.params.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    this.timeoutMs = timeoutMs;
    this.what = what;
  }

  private KafkaConsumer<K, V> consumer() {
    if (consumer == null) {
      consumer = new KafkaConsumer<>(params);
    }
    return consumer;
  }

  /**
   * The records of {@code range} in offset order. With {@code fromLogStart}, a range from offset 0 starts where
   * the partition's records start (a partition that appeared after the stream started).
   */
  List<ConsumerRecord<K, V>> read(OffsetRange range, boolean fromLogStart) {
    if (range.untilOffset() < range.fromOffset()) {
      throw new IllegalArgumentException("Beginning offset " + range.fromOffset() + " is after the ending offset "
          + range.untilOffset() + " for topic " + range.topic() + " partition " + range.partition() + ". You "
          + "either provided an invalid fromOffset, or the Kafka topic has been damaged");
    }
    KafkaConsumer<K, V> c = consumer();
    TopicPartition tp = range.topicPartition();
    c.assign(List.of(tp));
    if (fromLogStart && range.fromOffset() == 0) {
      range = OffsetRange.create(tp, Math.max(0, c.beginningOffsets(List.of(tp)).get(tp)), range.untilOffset());
    }
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    if (range.untilOffset() <= range.fromOffset()) {
      return out;
    }
    c.seek(tp, range.fromOffset());
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (c.position(tp) < range.untilOffset()) {
      ConsumerRecords<K, V> polled;
      try {
        polled = c.poll(Duration.ofMillis(200));
      } catch (OffsetOutOfRangeException e) {
        throw FreshetException.user("The records " + range + " of " + what + " are not in Kafka (deleted by "
            + "retention?" + (fromLogStart ? "" : " or not yet written?") + "): " + e.getMessage() + ". They cannot be "
            + "read" + (fromLogStart ? "; start with a new checkpoint to read from where Kafka's records start now"
            : ""));
      }
      for (ConsumerRecord<K, V> r : polled.records(tp)) {
        if (r.offset() < range.untilOffset()) {
          out.add(r);
        }
      }
      if (!polled.isEmpty()) {
        deadline = System.currentTimeMillis() + timeoutMs;
      } else if (System.currentTimeMillis() > deadline) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Kafka gave no records of " + range + " in "
            + timeoutMs + " ms (spark.streaming.kafka.consumer.poll.ms); is the broker at "
            + params.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + " reachable, and are the offsets written?", null);
      }
    }
    return out;
  }

  /** The consumer, to commit offsets with (the direct stream's commitAsync). */
  KafkaConsumer<K, V> kafka() {
    return consumer();
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
  }
}
