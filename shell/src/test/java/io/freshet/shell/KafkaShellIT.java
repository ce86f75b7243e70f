package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.sql.testing.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Kafka to SQL to Kafka through {@code bin/freshet}, against a broker started with {@code bin/kafka-local}. */
class KafkaShellIT {

  @Test
  void aScriptReadsATopicAndWritesItsAnswerToAnother() {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createTopic("shell-bids", 2);
    broker.createTopic("shell-big-bids", 1);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>("shell-bids", i % 2, null,
            "{\"auction\": " + (1000 + i % 5) + ", \"price\": " + (i * 10) + "}"));
      }
    }
    String servers = broker.bootstrapServers();
    Launcher.freshet(Duration.ofSeconds(120), "-e", """
        CREATE STREAM bids (auction BIGINT, price BIGINT) WITH ('connector' = 'kafka',
          'kafka.bootstrap.servers' = '%s', 'subscribe' = 'shell-bids', 'startingOffsets' = 'earliest',
          'endingOffsets' = 'latest', 'format' = 'json');
        CREATE TABLE big_bids (auction BIGINT, price BIGINT) WITH ('connector' = 'kafka',
          'kafka.bootstrap.servers' = '%s', 'topic' = 'shell-big-bids', 'transactional' = 'true');
        INSERT INTO big_bids SELECT auction, price FROM bids WHERE price >= 900;
        """.formatted(servers, servers)).ok();
    List<String> values = broker.readAll("shell-big-bids").stream().map(Map.Entry::getValue).sorted().toList();
    assertEquals(10, values.size(), values.toString());
    assertEquals("{\"auction\":1000,\"price\":900}", values.get(0));
  }
}
