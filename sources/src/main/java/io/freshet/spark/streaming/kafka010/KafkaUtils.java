package io.freshet.spark.streaming.kafka010;

import io.freshet.spark.streaming.api.java.JavaInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Spark's {@code KafkaUtils} for Kafka 0.10+: the direct stream. */
public final class KafkaUtils {
  private KafkaUtils() {
  }

  /**
   * A stream of the records of the strategy's partitions: see {@link DirectKafkaInputDStream}. Each batch's RDD
   * has its offset ranges ({@code ((HasOffsetRanges) rdd.rdd()).offsetRanges()}), and the stream
   * ({@code ((CanCommitOffsets) stream.inputDStream())}) commits offsets to the group when told.
   */
  public static <K, V> JavaInputDStream<ConsumerRecord<K, V>> createDirectStream(JavaStreamingContext jssc,
      LocationStrategy locationStrategy, ConsumerStrategy<K, V> consumerStrategy) {
    return new JavaInputDStream<>(new DirectKafkaInputDStream<>(jssc.ssc(), consumerStrategy));
  }
}
