package io.freshet.sql.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.memory.MemoryStream;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.testing.KafkaBroker;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka source and sink against a real broker (KRaft, started by the test on 127.0.0.1). */
@org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaConnectorTest {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  /**
   * The timestamp of the records the tests write (the i-th key-value pair of a call gets T0 + 2i ms). Taken from the
   * clock, not a fixed date: the broker deletes records older than its retention (7 days) at its checks, 30 s after
   * it starts and every 5 minutes after, also those a test has yet to read.
   */
  private static final long T0 = System.currentTimeMillis();
  private static KafkaBroker broker;

  @TempDir
  Path tmp;
  private FreshetSession session;
  private String topic;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.shared();
  }

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    topic = "t" + TOPICS.incrementAndGet();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private void produce(String to, int partition, String... keyValues) throws Exception {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      for (int i = 0; i < keyValues.length; i += 2) {
        p.send(new ProducerRecord<>(to, partition, T0 + i, keyValues[i], keyValues[i + 1]))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Every committed record of a topic's partition 0, as key=value. */
  private List<String> consume(String from) {
    return broker.readAll(from).stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  private void stream(String name, String columns, String options) {
    session.sql("CREATE STREAM " + name + (columns.isEmpty() ? "" : " (" + columns + ")") + " WITH ('connector' = "
        + "'kafka', 'kafka.bootstrap.servers' = '" + broker.bootstrapServers() + "', " + options + ")");
  }

  private StreamingQuery toMemory(String sql, String name) {
    return session.sql(sql).writeStream().format("memory").queryName(name)
        .option("checkpointLocation", tmp.resolve("cp-" + name).toString()).start();
  }

  @Test
  void rawRecordsWithTheirMetadataOnceEachAcrossARestart() throws Exception {
    broker.createTopic(topic, 2);
    produce(topic, 0, "k1", "a", "k2", "b");
    produce(topic, 1, null, "c");
    stream("s", "", "'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest'");
    String sql = "SELECT `key`, `value`, topic, `partition`, `offset`, `timestamp` FROM s";
    StreamingQuery q = toMemory(sql, "out");
    q.processAllAvailable();
    q.stop();
    LocalDateTime t0 = LocalDateTime.ofInstant(Instant.ofEpochMilli(T0), ZoneOffset.UTC);
    assertEquals(List.of(Row.of("k1", "a", topic, 0, 0L, t0), Row.of("k2", "b", topic, 0, 1L, t0.plusNanos(2_000_000)),
        Row.of(null, "c", topic, 1, 0L, t0)), session.memoryTableRows("out"));

    produce(topic, 1, "k3", "d");
    StreamingQuery again = toMemory(sql, "out");
    again.processAllAvailable();
    again.stop();
    assertEquals(4, session.memoryTableRows("out").size(), session.memoryTableRows("out").toString());
    assertEquals(Row.of("k3", "d", topic, 1, 1L, t0), session.memoryTableRows("out").get(3));
  }

  @Test
  void jsonValuesDecodeIntoDeclaredColumnsAndMalformedOnesFollowTheMode() throws Exception {
    broker.createTopic(topic, 1);
    produce(topic, 0, "a", "{\"id\": 1, \"name\": \"x\"}", "b", "{\"id\": \"oops\"}", "c", "{\"id\": 3}");
    stream("p", "id BIGINT, name VARCHAR, `offset` BIGINT, _corrupt_record VARCHAR",
        "'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest', 'format' = 'json', "
            + "'metadataColumns' = 'offset'");
    StreamingQuery p = toMemory("SELECT * FROM p", "p_out");
    p.processAllAvailable();
    p.stop();
    assertEquals(List.of(Row.of(1L, "x", 0L, null), Row.of(null, null, 1L, "{\"id\": \"oops\"}"),
        Row.of(3L, null, 2L, null)), session.memoryTableRows("p_out"));
    assertEquals("1", p.lastProgress().sources().get(0).metrics().get("numMalformedRows"));

    stream("f", "id BIGINT", "'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest', 'format' = 'json', "
        + "'mode' = 'FAILFAST'");
    StreamingQuery f = toMemory("SELECT * FROM f", "f_out");
    StreamingQueryException e = assertThrows(StreamingQueryException.class, f::awaitTermination);
    assertTrue(e.getMessage().contains("topic " + topic + ", partition 0, offset 1"), e.getMessage());
  }

  @Test
  void latestStartingOffsetsAreKeptInTheCheckpointAndMaxOffsetsPerTriggerSplitsTheBacklog() throws Exception {
    broker.createTopic(topic, 1);
    produce(topic, 0, "old", "0");
    stream("s", "", "'subscribe' = '" + topic + "', 'maxOffsetsPerTrigger' = '4'");
    List<Integer> sizes = new ArrayList<>();
    java.util.function.Supplier<StreamingQuery> start = () -> session.sql("SELECT `value` FROM s").writeStream()
        .foreachBatch((rows, id) -> sizes.add((int) rows.count()))
        .option("checkpointLocation", tmp.resolve("cp").toString()).start();
    StreamingQuery q = start.get();
    q.processAllAvailable();
    q.stop();
    String[] ten = new String[20];
    for (int i = 0; i < 10; i++) {
      ten[2 * i] = "k";
      ten[2 * i + 1] = Integer.toString(i);
    }
    produce(topic, 0, ten);
    StreamingQuery again = start.get();
    again.processAllAvailable();
    again.stop();
    // 'latest' was resolved when the query first started, before the ten: they are read, the one before is not.
    assertEquals(List.of(4, 4, 2), sizes);
  }

  @Test
  void theOnceTriggerReadsTheBacklogInOneBatchWhateverMaxOffsetsPerTrigger() throws Exception {
    broker.createTopic(topic, 1);
    produce(topic, 0, "k", "1", "k", "2", "k", "3", "k", "4", "k", "5", "k", "6");
    stream("s", "", "'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest', 'maxOffsetsPerTrigger' = '4'");
    List<Integer> sizes = new ArrayList<>();
    StreamingQuery q = session.sql("SELECT `value` FROM s").writeStream()
        .trigger(io.freshet.streaming.Trigger.Once()).foreachBatch((rows, id) -> sizes.add((int) rows.count())).start();
    q.awaitTermination();
    assertEquals(List.of(6), sizes);
  }

  @Test
  void theFirstBatchRunsAgainFromTheOffsetsItWasPlannedFromOrIsRefused() throws Exception {
    broker.createTopic(topic, 1);
    produce(topic, 0, "k", "a", "k", "b");
    stream("s", "", "'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest'");
    StreamingQuery q = toMemory("SELECT `value` FROM s", "first");
    q.processAllAvailable();
    q.stop();
    Path cp = tmp.resolve("cp-first");
    Path initial;
    try (var files = Files.walk(cp)) {
      initial = files.filter(p -> p.getFileName().toString().equals("initial")).findFirst().orElseThrow();
    }
    // As if the process died before batch 0 committed, and the start offsets were lost: resolving them again
    // would be a guess, so the batch is refused rather than run from elsewhere.
    Files.delete(cp.resolve("commits").resolve("0"));
    Files.delete(initial);
    StreamingQuery again = toMemory("SELECT `value` FROM s", "first");
    StreamingQueryException e = assertThrows(StreamingQueryException.class, again::processAllAvailable);
    assertEquals("Checkpoint file " + initial + " is missing: it holds the offsets the query started from, and the "
        + "first batch, which reads from them, runs again. Restore it from a backup, or start the query with a new "
        + "checkpoint location", e.getCause().getMessage());
  }

  @Test
  void newPartitionsAndPatternSubscriptionsArePickedUp() throws Exception {
    broker.createTopic(topic + "-a", 1);
    produce(topic + "-a", 0, "k", "a0");
    stream("s", "", "'subscribePattern' = '" + topic + "-.*', 'startingOffsets' = 'earliest'");
    StreamingQuery q = toMemory("SELECT `value` FROM s", "out");
    q.processAllAvailable();
    try (var admin = broker.admin()) {
      admin.createPartitions(Map.of(topic + "-a", NewPartitions.increaseTo(2))).all().get(30, TimeUnit.SECONDS);
    }
    broker.createTopic(topic + "-b", 1);
    produce(topic + "-a", 1, "k", "a1");
    produce(topic + "-b", 0, "k", "b0");
    q.processAllAvailable();
    q.stop();
    assertEquals(Set.of(Row.of("a0"), Row.of("a1"), Row.of("b0")), Set.copyOf(session.memoryTableRows("out")));
  }

  /**
   * Runs a query on topics {@code <topic>-*} until it has read {@code <topic>-a}, stops it, and while it is stopped
   * creates {@code <topic>-b} with records b0 and b1 and deletes b0 (as retention would); then starts it again.
   */
  private StreamingQuery restartAfterANewTopicLostItsFirstRecord(String options) throws Exception {
    broker.createTopic(topic + "-a", 1);
    produce(topic + "-a", 0, "k", "a0");
    stream("s", "", "'subscribePattern' = '" + topic + "-.*', 'startingOffsets' = 'earliest'" + options);
    StreamingQuery q = toMemory("SELECT `value` FROM s", "out");
    q.processAllAvailable();
    q.stop();
    broker.createTopic(topic + "-b", 1);
    produce(topic + "-b", 0, "k", "b0", "k", "b1");
    try (var admin = broker.admin()) {
      admin.deleteRecords(Map.of(new TopicPartition(topic + "-b", 0), RecordsToDelete.beforeOffset(1))).all()
          .get(30, TimeUnit.SECONDS);
    }
    return toMemory("SELECT `value` FROM s", "out");
  }

  @Test
  void recordsOfANewTopicDeletedBeforeTheQueryListedItFailTheQuery() throws Exception {
    StreamingQuery q = restartAfterANewTopicLostItsFirstRecord("");
    StreamingQueryException e = assertThrows(StreamingQueryException.class, q::processAllAvailable);
    assertTrue(e.getMessage().contains("Kafka records 0 to 0 of " + topic + "-b-0 (a partition that appeared after "
        + "the query started, read from its start) were deleted (retention?)"), e.getMessage());
  }

  @Test
  void withFailOnDataLossFalseANewTopicIsReadFromItsFirstRecordLeft() throws Exception {
    StreamingQuery q = restartAfterANewTopicLostItsFirstRecord(", 'failOnDataLoss' = 'false'");
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of(Row.of("a0"), Row.of("b1")), session.memoryTableRows("out"));
  }

  @Test
  void aDeletedTopicFailsTheQueryUnlessFailOnDataLossIsFalse() throws Exception {
    broker.createTopic(topic, 1);
    produce(topic, 0, "k", "a");
    stream("s", "", "'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest'");
    StreamingQuery q = toMemory("SELECT `value` FROM s", "out");
    q.processAllAvailable();
    broker.deleteTopic(topic);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> {
      q.processAllAvailable();
      q.awaitTermination();
    });
    assertTrue(e.getMessage().contains("Kafka partition " + topic + "-0 is gone") && e.getMessage().contains(
        "failOnDataLoss"), e.getMessage());
  }

  @Test
  void withFailOnDataLossFalseTheQueryGoesOnPastADeletedTopic() throws Exception {
    broker.createTopic(topic, 1);
    produce(topic, 0, "k", "a");
    stream("s", "", "'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest', 'failOnDataLoss' = 'false'");
    StreamingQuery q = toMemory("SELECT `value` FROM s", "out");
    q.processAllAvailable();
    broker.deleteTopic(topic);
    q.processAllAvailable();
    assertTrue(q.isActive(), "the query goes on without the topic");
    q.stop();
    assertEquals(List.of(Row.of("a")), session.memoryTableRows("out"));
  }

  @Test
  void theTransactionalSinkWritesEachBatchOnceEvenWhenABatchRunsAgain() throws Exception {
    broker.createTopic(topic, 1);
    session.sql("CREATE STREAM m (id BIGINT, name VARCHAR) WITH ('connector' = 'memory')");
    MemoryStream input = session.memoryStream("m");
    Path checkpoint = tmp.resolve("cp");
    java.util.function.Supplier<StreamingQuery> start = () -> session.sql("SELECT id, UPPER(name) AS name FROM m")
        .writeStream().format("kafka").option("kafka.bootstrap.servers", broker.bootstrapServers())
        .option("topic", topic).option("transactional", "true")
        .option("checkpointLocation", checkpoint.toString()).start();
    StreamingQuery q = start.get();
    input.addData(Row.of(1L, "a"), Row.of(2L, null));
    q.processAllAvailable();
    input.addData(Row.of(3L, "c"));
    q.processAllAvailable();
    q.stop();
    // As if the process died after Kafka committed batch 1 but before the query's commit log said so.
    Files.delete(checkpoint.resolve("commits/1"));
    StreamingQuery again = start.get();
    again.processAllAvailable();
    again.stop();
    assertEquals(List.of("null={\"id\":1,\"name\":\"A\"}", "null={\"id\":2}", "null={\"id\":3,\"name\":\"C\"}"),
        consume(topic));
  }

  @Test
  void aTopicColumnSendsEachRowToItsTopic() throws Exception {
    broker.createTopic(topic + "-x", 1);
    broker.createTopic(topic + "-y", 1);
    session.sql("CREATE STREAM m (topic VARCHAR, n BIGINT) WITH ('connector' = 'memory')");
    MemoryStream input = session.memoryStream("m");
    StreamingQuery q = session.sql("SELECT topic, n FROM m").writeStream().format("kafka")
        .option("kafka.bootstrap.servers", broker.bootstrapServers())
        .option("checkpointLocation", tmp.resolve("cp").toString()).start();
    input.addData(Row.of(topic + "-x", 1L), Row.of(topic + "-y", 2L), Row.of(topic + "-x", 3L));
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of("null={\"topic\":\"" + topic + "-x\",\"n\":1}", "null={\"topic\":\"" + topic
        + "-x\",\"n\":3}"), consume(topic + "-x"));
    assertEquals(List.of("null={\"topic\":\"" + topic + "-y\",\"n\":2}"), consume(topic + "-y"));
  }

  @Test
  void theRawSinkWritesKeyAndValueColumns() throws Exception {
    broker.createTopic(topic, 1);
    session.sql("CREATE STREAM m (k VARCHAR, v VARCHAR) WITH ('connector' = 'memory')");
    MemoryStream input = session.memoryStream("m");
    StreamingQuery q = session.sql("SELECT k AS `key`, v AS `value` FROM m").writeStream().format("kafka")
        .option("kafka.bootstrap.servers", broker.bootstrapServers()).option("topic", topic).option("format", "raw")
        .option("checkpointLocation", tmp.resolve("cp").toString()).start();
    input.addData(Row.of("a", "1"), Row.of(null, "2"));
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of("a=1", "null=2"), consume(topic));
  }

  @Test
  void inUpdateModeEachRecordIsKeyedByTheResultsKeyAndARowThatLeavesIsATombstone() throws Exception {
    broker.createTopic(topic, 1);
    session.sql("CREATE STREAM m (k VARCHAR) WITH ('connector' = 'memory')");
    MemoryStream input = session.memoryStream("m");
    StreamingQuery q = session.sql("SELECT n, COUNT(*) AS keys FROM (SELECT k, COUNT(*) AS n FROM m GROUP BY k) "
        + "GROUP BY n").writeStream().format("kafka").outputMode("update")
        .option("kafka.bootstrap.servers", broker.bootstrapServers()).option("topic", topic)
        .option("checkpointLocation", tmp.resolve("cp").toString()).start();
    input.addData(Row.of("a"), Row.of("b"));
    q.processAllAvailable();
    input.addData(Row.of("a"), Row.of("b"));
    q.processAllAvailable();
    q.stop();
    // Count 1 had two keys, then none: its last record is a tombstone; count 2 is new with two keys.
    assertEquals(List.of("{\"n\":1}={\"n\":1,\"keys\":2}", "{\"n\":1}=null", "{\"n\":2}={\"n\":2,\"keys\":2}"),
        consume(topic));
  }
}
