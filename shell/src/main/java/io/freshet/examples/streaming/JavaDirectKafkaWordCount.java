package io.freshet.examples.streaming;

import io.freshet.spark.SparkConf;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaInputDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.kafka010.ConsumerStrategies;
import io.freshet.spark.streaming.kafka010.KafkaUtils;
import io.freshet.spark.streaming.kafka010.LocationStrategies;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import scala.Tuple2;

/**
 * Counts the words of the messages of Kafka topics every two seconds, with the direct stream: Spark's direct Kafka
 * example, ported by changing its imports.
 *
 * <p>Usage: JavaDirectKafkaWordCount &lt;brokers&gt; &lt;groupId&gt; &lt;topics&gt;, e.g.
 * {@code bin/run-example streaming.JavaDirectKafkaWordCount localhost:9092 consumer-group topic1,topic2}. It reads
 * the messages written after it starts (the consumer's default {@code auto.offset.reset}, latest).
 */
public final class JavaDirectKafkaWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private JavaDirectKafkaWordCount() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: JavaDirectKafkaWordCount <brokers> <groupId> <topics>\n"
          + "  <brokers> is a list of one or more Kafka brokers\n"
          + "  <groupId> is a consumer group name to consume from topics\n"
          + "  <topics> is a list of one or more kafka topics to consume from\n");
      System.exit(1);
    }
    String brokers = args[0];
    String groupId = args[1];
    String topics = args[2];
    SparkConf sparkConf = new SparkConf().setAppName("JavaDirectKafkaWordCount");
    JavaStreamingContext jssc = new JavaStreamingContext(sparkConf, Durations.seconds(2));
    Set<String> topicsSet = new HashSet<>(Arrays.asList(topics.split(",")));
    Map<String, Object> kafkaParams = new HashMap<>();
    kafkaParams.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    kafkaParams.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    kafkaParams.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    kafkaParams.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    // The stream of the topics' records, then the words of their values counted per batch.
    JavaInputDStream<ConsumerRecord<String, String>> messages = KafkaUtils.createDirectStream(jssc,
        LocationStrategies.PreferConsistent(), ConsumerStrategies.Subscribe(topicsSet, kafkaParams));
    JavaDStream<String> lines = messages.map(ConsumerRecord::value);
    JavaDStream<String> words = lines.flatMap(x -> Arrays.asList(SPACE.split(x)).iterator());
    JavaPairDStream<String, Integer> wordCounts = words.mapToPair(s -> new Tuple2<>(s, 1))
        .reduceByKey((i1, i2) -> i1 + i2);
    wordCounts.print();
    jssc.start();
    jssc.awaitTermination();
  }
}
