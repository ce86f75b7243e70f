package io.freshet.spark.streaming.kafka010;

import io.freshet.spark.SparkContext;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.JavaSparkContext;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.api.java.JavaInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Spark's {@code KafkaUtils} for Kafka 0.10+: the direct stream, and an RDD of given offset ranges. */
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

  /**
   * Spark's createRDD: the records of exactly these ranges ({@code fromOffset} included, {@code untilOffset} not),
   * a partition per range in their order, read now with the program's deserializers. As in Spark, the parameters
   * are used with auto-commit off, no offset reset (a range Kafka no longer or not yet holds fails, saying so), a
   * {@code group.id} prefixed with {@code spark-executor-} and a receive buffer of at least 64 KiB;
   * {@code PreferBrokers} is refused.
   */
  public static <K, V> JavaRDD<ConsumerRecord<K, V>> createRDD(JavaSparkContext jsc, Map<String, Object> kafkaParams,
      OffsetRange[] offsetRanges, LocationStrategy locationStrategy) {
    return new JavaRDD<>(createRDD(jsc.sc(), kafkaParams, offsetRanges, locationStrategy), jsc);
  }

  public static <K, V> RDD<ConsumerRecord<K, V>> createRDD(SparkContext sc, Map<String, Object> kafkaParams,
      OffsetRange[] offsetRanges, LocationStrategy locationStrategy) {
    if (locationStrategy == LocationStrategies.PreferBrokers()) {
      throw new IllegalArgumentException("createRDD cannot prefer brokers (a single RDD has no driver consumer to "
          + "look them up): use LocationStrategies.PreferConsistent() or PreferFixed(hostMap)");
    }
    Object servers = kafkaParams.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      throw new IllegalArgumentException("The Kafka parameters of createRDD need bootstrap.servers");
    }
    Map<String, Object> params = new HashMap<>(kafkaParams);
    Object group = params.get(ConsumerConfig.GROUP_ID_CONFIG);
    if (group != null) {
      params.put(ConsumerConfig.GROUP_ID_CONFIG, "spark-executor-" + group);
    }
    Object buffer = params.get(ConsumerConfig.RECEIVE_BUFFER_CONFIG);
    if (buffer == null || Integer.parseInt(buffer.toString()) < 65536) {
      params.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 65536);
    }
    List<List<ConsumerRecord<K, V>>> partitions = new ArrayList<>(offsetRanges.length);
    try (RangeReader<K, V> reader = new RangeReader<>(params,
        sc.getConf().getLong("spark.streaming.kafka.consumer.poll.ms", 120_000), "createRDD")) {
      for (OffsetRange range : offsetRanges) {
        partitions.add(reader.read(range, false));
      }
    }
    return new KafkaRDD<>(partitions, offsetRanges.clone());
  }
}
