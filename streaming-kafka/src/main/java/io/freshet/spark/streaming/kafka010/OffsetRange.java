package io.freshet.spark.streaming.kafka010;

import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/** Spark's {@code OffsetRange}: the records of one partition in a batch, from (inclusive) until (exclusive). */
public final class OffsetRange implements java.io.Serializable {
  private final String topic;
  private final int partition;
  private final long fromOffset;
  private final long untilOffset;

  private OffsetRange(String topic, int partition, long fromOffset, long untilOffset) {
    this.topic = topic;
    this.partition = partition;
    this.fromOffset = fromOffset;
    this.untilOffset = untilOffset;
  }

  public static OffsetRange create(String topic, int partition, long fromOffset, long untilOffset) {
    return new OffsetRange(topic, partition, fromOffset, untilOffset);
  }

  public static OffsetRange create(TopicPartition topicPartition, long fromOffset, long untilOffset) {
    return new OffsetRange(topicPartition.topic(), topicPartition.partition(), fromOffset, untilOffset);
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long fromOffset() {
    return fromOffset;
  }

  public long untilOffset() {
    return untilOffset;
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** The number of offsets in the range. */
  public long count() {
    return untilOffset - fromOffset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OffsetRange r && r.topic.equals(topic) && r.partition == partition
        && r.fromOffset == fromOffset && r.untilOffset == untilOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, fromOffset, untilOffset);
  }

  @Override
  public String toString() {
    return "OffsetRange(topic: '" + topic + "', partition: " + partition + ", range: [" + fromOffset + " -> "
        + untilOffset + "])";
  }
}
