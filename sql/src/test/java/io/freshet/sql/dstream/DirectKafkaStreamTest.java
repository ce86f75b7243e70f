package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.JavaSparkContext;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.kafka010.CanCommitOffsets;
import io.freshet.spark.streaming.kafka010.ConsumerStrategies;
import io.freshet.spark.streaming.kafka010.HasOffsetRanges;
import io.freshet.spark.streaming.kafka010.KafkaUtils;
import io.freshet.spark.streaming.kafka010.LocationStrategies;
import io.freshet.spark.streaming.kafka010.OffsetRange;
import io.freshet.sql.testing.KafkaBroker;
import io.freshet.streaming.FreshetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's direct Kafka stream against a real broker, batch by batch on a manual clock: the records with the
 * program's deserializers, offset ranges per batch, commits to the group, the per-partition rate limit, and a
 * restart from the checkpoint that goes on with nothing read twice.
 */
class DirectKafkaStreamTest {
  private static KafkaBroker broker;

  @TempDir
  Path tmp;
  private JavaStreamingContext ssc;
  private final List<String> values = new CopyOnWriteArrayList<>();
  private final List<List<OffsetRange>> ranges = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.shared();
  }

  @AfterEach
  void stop() {
    if (ssc != null) {
      ssc.stop();
    }
  }

  private void produce(String topic, int from, int count) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      for (int i = from; i < from + count; i++) {
        producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
      }
    }
  }

  private Map<String, Object> kafkaParams(String group) {
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", broker.bootstrapServers());
    params.put("key.deserializer", StringDeserializer.class);
    params.put("value.deserializer", StringDeserializer.class);
    params.put("group.id", group);
    params.put("auto.offset.reset", "earliest");
    params.put("enable.auto.commit", false);
    return params;
  }

  private ManualBatches program(String topic, String group, SparkConf extra) {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("direct")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    java.util.Arrays.stream(extra.getAll()).forEach(kv -> conf.set(kv._1(), kv._2()));
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    ssc.checkpoint(tmp.resolve("cp").toString());
    ManualBatches batches = new ManualBatches(ssc);
    JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(ssc,
        LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe(List.of(topic), kafkaParams(group)));
    stream.foreachRDD(rdd -> {
      OffsetRange[] offsetRanges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
      List<String> batch = new ArrayList<>();
      rdd.collect().forEach(r -> batch.add(r.key() + "=" + r.value() + "@" + r.partition() + ":" + r.offset()));
      values.addAll(batch);
      ranges.add(List.of(offsetRanges));
      ((CanCommitOffsets) stream.inputDStream()).commitAsync(offsetRanges);
    });
    ssc.start();
    return batches;
  }

  @Test
  void eachBatchReadsTheNewRecordsWithTheirOffsetRangesAndCommitsThem() throws Exception {
    String topic = "direct-basic";
    broker.createTopic(topic, 2);
    produce(topic, 0, 10);
    ManualBatches batches = program(topic, "g-basic", new SparkConf());
    batches.next();
    assertEquals(10, values.size(), values.toString());
    assertTrue(values.contains("k3=v3@1:1"), values.toString());
    assertEquals(List.of(OffsetRange.create(topic, 0, 0, 5), OffsetRange.create(topic, 1, 0, 5)),
        ranges.get(0).stream().sorted(java.util.Comparator.comparingInt(OffsetRange::partition)).toList());
    produce(topic, 10, 4);
    batches.next();
    assertEquals(14, values.size(), values.toString());
    batches.next(); // the commit of the second batch is sent at the start of the third, as in Spark
    try (var admin = broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("g-basic")
          .partitionsToOffsetAndMetadata().get();
      assertEquals(7, committed.get(new TopicPartition(topic, 0)).offset());
      assertEquals(7, committed.get(new TopicPartition(topic, 1)).offset());
    }
  }

  @Test
  void maxRatePerPartitionLimitsEachBatchAndARestartGoesOnFromTheCheckpoint() throws Exception {
    String topic = "direct-rate";
    broker.createTopic(topic, 2);
    produce(topic, 0, 10);
    SparkConf rate = new SparkConf().set("spark.streaming.kafka.maxRatePerPartition", "2");
    ManualBatches batches = program(topic, "g-rate", rate);
    batches.next();
    batches.next();
    assertEquals(List.of(4, 4), ranges.stream().map(r -> r.stream().mapToInt(x -> (int) x.count()).sum()).toList(),
        "2 records per partition per 1 s batch");
    ssc.stop();

    batches = program(topic, "g-rate", rate); // the same program on the same checkpoint
    batches.next();
    batches.next();
    assertEquals(10, values.size(), values.toString());
    assertEquals(10, values.stream().distinct().count(), "nothing read twice: " + values);
  }

  @Test
  void createRddReadsExactlyTheGivenRangesAPartitionEachAndCommitsNothing() throws Exception {
    String topic = "direct-rdd";
    broker.createTopic(topic, 2);
    produce(topic, 0, 10); // partition 0: k0, k2, ... k8 at offsets 0-4; partition 1: k1, k3, ... k9
    JavaSparkContext jsc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("rdd")
        .set("spark.streaming.kafka.consumer.poll.ms", "1000"));
    OffsetRange[] wanted = {OffsetRange.create(topic, 1, 1, 3), OffsetRange.create(topic, 0, 0, 2),
        OffsetRange.create(topic, 0, 4, 4)};
    JavaRDD<ConsumerRecord<String, String>> rdd = KafkaUtils.createRDD(jsc, kafkaParams("g-rdd"), wanted,
        LocationStrategies.PreferConsistent());
    assertEquals(List.of(List.of("k3=v3@1:1", "k5=v5@1:2"), List.of("k0=v0@0:0", "k2=v2@0:1"), List.of()),
        rdd.map(r -> r.key() + "=" + r.value() + "@" + r.partition() + ":" + r.offset()).glom().collect());
    assertEquals(List.of(wanted), List.of(((HasOffsetRanges) rdd.rdd()).offsetRanges()));
    try (var admin = broker.admin()) {
      assertEquals(Map.of(), admin.listConsumerGroupOffsets("g-rdd").partitionsToOffsetAndMetadata().get());
      assertEquals(Map.of(), admin.listConsumerGroupOffsets("spark-executor-g-rdd").partitionsToOffsetAndMetadata()
          .get());
    }
    IllegalArgumentException brokers = assertThrows(IllegalArgumentException.class, () -> KafkaUtils.createRDD(jsc,
        kafkaParams("g-rdd"), wanted, LocationStrategies.PreferBrokers()));
    assertTrue(brokers.getMessage().contains("PreferConsistent()"), brokers.getMessage());
    IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class, () -> KafkaUtils.createRDD(jsc,
        kafkaParams("g-rdd"), new OffsetRange[] {OffsetRange.create(topic, 0, 3, 1)},
        LocationStrategies.PreferConsistent()));
    assertEquals("Beginning offset 3 is after the ending offset 1 for topic " + topic + " partition 0. You either "
        + "provided an invalid fromOffset, or the Kafka topic has been damaged", backwards.getMessage());
    OffsetRange[] beyond = {OffsetRange.create(topic, 0, 3, 9)};
    FreshetException unwritten = assertThrows(FreshetException.class, () -> KafkaUtils.createRDD(jsc,
        kafkaParams("g-rdd"), beyond, LocationStrategies.PreferConsistent()));
    assertTrue(unwritten.getMessage().contains("Kafka gave no records of " + beyond[0] + " in 1000 ms"),
        unwritten.getMessage());
  }
}
