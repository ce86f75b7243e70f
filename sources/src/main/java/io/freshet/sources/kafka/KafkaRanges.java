package io.freshet.sources.kafka;

import io.freshet.exec.connector.Source;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka source in the form the DStream API's direct stream reads it: each batch is the offset range of each
 * partition with records in it (columns topic, partition, fromOffset, untilOffset), chosen, logged and replayed
 * as for a SQL query's Kafka source, and limited per partition by the stream's rate.
 */
public final class KafkaRanges {
  private KafkaRanges() {
  }

  /** The most records a partition may have in the next batch, from its backlog and that of all partitions. */
  @FunctionalInterface
  public interface PartitionLimit {
    long maxRecords(TopicPartition partition, long lag, long totalLag);
  }

  /**
   * A source of offset ranges. {@code topics}, {@code pattern} (a regular expression, or blank) and
   * {@code assign} (JSON such as {@code {"t":[0,1]}}, or blank) choose the partitions as the Kafka connector's
   * options of those names do; {@code startingOffsets} is earliest, latest or JSON of offsets (-2 earliest, -1
   * latest), used on the first run only (it is kept in {@code checkpointDir}).
   */
  public static Source create(String bootstrap, Map<String, String> consumerSettings, List<String> topics,
      String pattern, String assign, String startingOffsets, Path checkpointDir, BufferAllocator allocator,
      PartitionLimit limit) {
    KafkaSource source = KafkaSource.offsetRanges(new KafkaSource.Settings(bootstrap, consumerSettings, topics,
        pattern, assign, startingOffsets, false, Long.MAX_VALUE, true), checkpointDir, allocator);
    source.limitPerPartition(limit);
    return source;
  }
}
