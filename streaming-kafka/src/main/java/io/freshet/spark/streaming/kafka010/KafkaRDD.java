package io.freshet.spark.streaming.kafka010;

import io.freshet.spark.rdd.RDD;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The RDD of a direct stream's batch: a partition per Kafka partition range, with its offset ranges. */
public final class KafkaRDD<K, V> extends RDD<ConsumerRecord<K, V>> implements HasOffsetRanges {
  private final OffsetRange[] ranges;

  KafkaRDD(List<List<ConsumerRecord<K, V>>> partitions, OffsetRange[] ranges) {
    super(partitions);
    this.ranges = ranges;
  }

  @Override
  public OffsetRange[] offsetRanges() {
    return ranges.clone();
  }
}
