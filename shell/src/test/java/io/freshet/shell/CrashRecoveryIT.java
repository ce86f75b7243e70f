package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.format.SinkManifest;
import io.freshet.sql.testing.KafkaBroker;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query from a file directory to a file sink, and one from Kafka to Kafka, runs in {@code bin/freshet -f}, which
 * the test kills with SIGKILL again and again, each time restarting it from the same checkpoint: paused exactly
 * while a batch's output is written but not committed, paused exactly after the sink committed a batch the commit
 * log does not hold yet, paused exactly while a state file is half way into the checkpoint, and at random
 * moments. The committed output must then equal that of a run nobody interrupted: no row lost, none doubled.
 * Queries run in two partitions. Each query is killed {@code -Dfreshet.crash.kills} times (default 4: a stateless
 * one at each of its three pause points and a random moment, a stateful one at each of its four points); the long
 * run raises it.
 */
@Order(Integer.MAX_VALUE) // see junit-platform.properties: the longest classes start first, side by side
class CrashRecoveryIT {
  private static final int KILLS = Integer.getInteger("freshet.crash.kills", 4);
  /** Batches of input: more than the kills can get through, so that every run is killed before the end. */
  private static final int FILES = KILLS * 8;

  @TempDir
  Path tmp;

  private Path input;
  /** The trigger setting of the runs' scripts (null: the default). */
  private String trigger;

  private void writeInput() throws IOException {
    input = Files.createDirectories(tmp.resolve("in"));
    Random random = new Random(42);
    for (int f = 0; f < FILES; f++) {
      StringBuilder text = new StringBuilder();
      for (int r = 0; r < 400; r++) {
        // Event time moves 5 s per file, with rows up to 1.5 s out of order (the watermark allows 2 s).
        long ms = 1_767_225_600_000L + f * 5_000L + r * 12L - random.nextInt(1500);
        text.append(random.nextInt(20)).append(',').append(random.nextInt(10_000)).append(',')
            .append(java.time.Instant.ofEpochMilli(ms).toString().replace('T', ' ').replace("Z", "")).append('\n');
      }
      Path file = input.resolve(String.format("bids-%03d.csv", f));
      Files.writeString(file, text);
      file.toFile().setLastModified(1_700_000_000_000L + f * 1000L);
    }
  }

  /** Where a run reads and writes: the DDL of the stream bids and the table results, and how to read results. */
  private interface Connectors {
    String source();

    /** The WITH clause of a second stream, asks, or null when the runs read bids alone. */
    default String secondSource() {
      return null;
    }

    String sink(String run, String columns);

    List<String> output(String run) throws IOException;
  }

  private final class Files2Files implements Connectors {
    @Override
    public String source() {
      return "WITH ('connector' = 'file', 'path' = '" + input + "', 'format' = 'csv', 'maxFilesPerTrigger' = '1', "
          + "'bounded' = 'true')";
    }

    @Override
    public String sink(String run, String columns) {
      return "(" + columns + ") WITH ('connector' = 'file', 'path' = '" + tmp.resolve(run).resolve("out")
          + "', 'format' = 'csv')";
    }

    @Override
    public List<String> output(String run) throws IOException {
      List<String> rows = new ArrayList<>();
      for (Path part : SinkManifest.committedFiles(tmp.resolve(run).resolve("out"))) {
        rows.addAll(Files.readAllLines(part));
      }
      return rows;
    }
  }

  private Path script(String name, Connectors connectors, String columns, String query) throws IOException {
    Path dir = tmp.resolve(name);
    String sql = "SET 'checkpoint-location' = '" + dir.resolve("checkpoint") + "';\n"
        + "SET 'parallelism' = '2';\n"
        + (trigger == null ? "" : "SET 'trigger' = '" + trigger + "';\n")
        + "CREATE STREAM bids (k BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)"
        + " " + connectors.source() + ";\n"
        + (connectors.secondSource() == null ? "" : "CREATE STREAM asks (k BIGINT, price BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) " + connectors.secondSource() + ";\n")
        + "CREATE TABLE results " + connectors.sink(name, columns) + ";\n"
        + "INSERT INTO results " + query + ";\n";
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("query.sql"), sql);
  }

  /** {@code bin/freshet -f script}, paused at {@code pauseAt} (null: not paused). */
  private Launcher.Running start(Path script, String pauseAt) {
    return Launcher.Running.start(Launcher.builder("freshet", List.of("--no-nexmark", "-f", script.toString()),
        pauseAt == null ? null : "-Dfreshet.test.pauseAt=" + pauseAt));
  }

  private static void runToEnd(Launcher.Running run) {
    assertEquals(0, run.awaitExit(Duration.ofSeconds(120)), () -> "the query failed: " + run.stderr());
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    copy.sort(null);
    return copy;
  }

  private void crashAndCompare(Connectors connectors, String columns, String query) throws Exception {
    crashAndCompare(connectors, columns, query, KILLS);
  }

  private static boolean stateful(String query) {
    return query.contains("TUMBLE") || query.contains("JOIN");
  }

  private void crashAndCompare(Connectors connectors, String columns, String query, int times) throws Exception {
    Path baseline = script("baseline", connectors, columns, query);
    try (Launcher.Running clean = start(baseline, null)) {
      runToEnd(clean);
    }
    List<String> expected = sorted(connectors.output("baseline"));
    assertTrue(expected.size() > 100, "the query gives output: " + expected.size());

    Path crashed = script("crashed", connectors, columns, query);
    Random random = new Random();
    // Under the continuous trigger also with a batch's state files on disk and its commit entry not yet written
    // (the next batch running), and with a batch waiting for the previous one's checkpoint before its sink commits.
    String[] points = trigger != null
        ? new String[] {"async-state-written", "sink-write", "checkpoint-await", "state-checkpoint", "sink-committed",
            null}
        : stateful(query)
        ? new String[] {"sink-write", "state-checkpoint", "sink-committed", null}
        : new String[] {"sink-write", "sink-committed", null};
    int kills = 0;
    for (int i = 0; i < times; i++) {
      String point = points[i % points.length];
      // A random kill still stops at the 4th to 6th batch at the latest, so that every run leaves work for the next.
      try (Launcher.Running run = start(crashed, point == null ? "sink-write:" + (4 + random.nextInt(3))
          : point + ":" + (1 + random.nextInt(3)))) {
        if (point != null) {
          run.awaitStderr("FRESHET-PAUSED " + point);
        } else {
          // A random moment: while it starts, plans, restores, or runs any part of a batch.
          assertFalse(run.process.waitFor(300 + random.nextInt(2000), TimeUnit.MILLISECONDS),
              () -> "the child ended before it was killed: " + run.stderr());
        }
      }
      kills++;
    }
    try (Launcher.Running last = start(crashed, null)) {
      runToEnd(last);
    }
    assertEquals(times, kills);
    assertEquals(expected, sorted(connectors.output("crashed")), "the output after " + kills + " kills");
  }

  /**
   * Two processes on one checkpoint, the second started at several moments of the first's run: while the first is
   * paused writing a batch's output, writing its state, just after its sink committed, and both at the same moment.
   * Each time exactly one runs and the other is refused at once, naming the owner; after the first is killed a
   * new run takes over, and the output is exact.
   */
  @Test
  void twoProcessesOnOneCheckpointAtSeveralMomentsOneRunsAndTheOutputIsExact() throws Exception {
    writeInput();
    Files2Files files = new Files2Files();
    try (Launcher.Running clean = start(script("baseline", files, WINDOWED_COLUMNS, WINDOWED), null)) {
      runToEnd(clean);
    }
    List<String> expected = sorted(files.output("baseline"));
    Path shared = script("shared", files, WINDOWED_COLUMNS, WINDOWED);
    for (String moment : new String[] {"sink-write:1", "state-checkpoint:2", "sink-committed:3"}) {
      try (Launcher.Running first = start(shared, moment)) {
        first.awaitStderr("FRESHET-PAUSED " + moment.substring(0, moment.indexOf(':')));
        try (Launcher.Running second = start(shared, null)) {
          assertRefused(second, first);
        }
      }
    }
    // Both at once: whichever takes the lock first runs (the first would pause in its second batch), the other is
    // refused.
    try (Launcher.Running first = start(shared, "sink-write:2"); Launcher.Running second = start(shared, null)) {
      String firstSaid = awaitPausedOrExit(first, "FRESHET-PAUSED sink-write");
      if (firstSaid.contains("FRESHET-PAUSED")) {
        assertRefused(second, first);
      } else {
        assertTrue(firstSaid.contains("is in use by query") && firstSaid.contains("in process "
            + second.process.pid()), firstSaid);
        runToEnd(second);
      }
    }
    try (Launcher.Running again = start(shared, null)) {
      runToEnd(again);
    }
    assertEquals(expected, sorted(files.output("shared")));
  }

  private static void assertRefused(Launcher.Running second, Launcher.Running first) {
    assertTrue(second.awaitExit(Duration.ofSeconds(120)) != 0, "the second process ran");
    String said = second.stdout() + second.stderr();
    assertTrue(said.contains("is in use by query") && said.contains("in process " + first.process.pid())
        && said.contains("stop that query first"), said);
  }

  /** Waits until {@code run} shows {@code paused} on standard error, or ends; returns what it said. */
  private static String awaitPausedOrExit(Launcher.Running run, String paused) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (run.stderr().contains(paused)) {
        return run.stderr();
      }
      if (run.process.waitFor(100, TimeUnit.MILLISECONDS)) {
        run.awaitExit(Duration.ofSeconds(10));
        return run.stdout() + run.stderr();
      }
    }
    throw new AssertionError("neither paused nor ended: " + run.stderr());
  }

  private static final String STATELESS_COLUMNS = "k BIGINT, doubled BIGINT, ts TIMESTAMP(3)";
  private static final String STATELESS = "SELECT k, price * 2 AS doubled, ts FROM bids WHERE MOD(price, 3) <> 0";
  private static final String WINDOWED_COLUMNS = "window_start TIMESTAMP(3), k BIGINT, c BIGINT, total BIGINT, "
      + "top BIGINT";
  private static final String WINDOWED = "SELECT window_start, k, COUNT(*) AS c, SUM(price) AS total, "
      + "MAX(price) AS top FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND)) "
      + "GROUP BY window_start, window_end, k";

  private static final String JOINED_COLUMNS = "k BIGINT, price BIGINT, ask BIGINT, ts TIMESTAMP(3)";
  /** Each bid with the asks of its key up to 200 ms after it; a bid with none comes with a null ask. */
  private static final String JOINED = "SELECT b.k, b.price, a.price AS ask, b.ts FROM bids b LEFT JOIN asks a "
      + "ON a.k = b.k AND a.ts BETWEEN b.ts AND b.ts + INTERVAL '0.2' SECOND";

  /**
   * An interval join of two Kafka topics (the bids, and the bids of even price as asks) into a Kafka topic: each
   * source's offsets, the rows each side keeps and whether each bid matched must all come back from the checkpoint.
   */
  @Test
  void aKafkaIntervalJoinOfTwoTopicsSurvivesKillsWithNothingLostOrDoubled() throws Exception {
    crashAndCompare(kafka("joined"), JOINED_COLUMNS, JOINED);
  }

  @Test
  void aStatelessFileQuerySurvivesKillsWithNothingLostOrDoubled() throws Exception {
    writeInput();
    crashAndCompare(new Files2Files(), STATELESS_COLUMNS, STATELESS);
  }

  @Test
  void aWindowedFileAggregationSurvivesKillsWithNothingLostOrDoubled() throws Exception {
    writeInput();
    crashAndCompare(new Files2Files(), WINDOWED_COLUMNS, WINDOWED);
  }

  @Test
  void aWindowedFileAggregationUnderTheContinuousTriggerSurvivesKillsWithNothingLostOrDoubled() throws Exception {
    writeInput();
    trigger = "continuous";
    crashAndCompare(new Files2Files(), WINDOWED_COLUMNS, WINDOWED, 6);
  }

  @Test
  void aStatelessKafkaQuerySurvivesKillsWithNothingLostOrDoubled() throws Exception {
    crashAndCompare(kafka("stateless"), STATELESS_COLUMNS, STATELESS);
  }

  @Test
  void aWindowedKafkaAggregationSurvivesKillsWithNothingLostOrDoubled() throws Exception {
    crashAndCompare(kafka("windowed"), WINDOWED_COLUMNS, WINDOWED);
  }

  /**
   * Kafka to Kafka: the input files' rows as CSV records of a two-partition topic, read 400 records a batch up to
   * the end there when the query first started; the results go to a topic per run with the transactional sink,
   * read back with read_committed.
   */
  private Connectors kafka(String test) throws Exception {
    writeInput();
    KafkaBroker broker = KafkaBroker.shared();
    String in = "crash-in-" + test;
    broker.createTopic(in, 2);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      int n = 0;
      for (int f = 0; f < FILES; f++) {
        for (String line : Files.readAllLines(input.resolve(String.format("bids-%03d.csv", f)))) {
          producer.send(new ProducerRecord<>(in, n++ % 2, null, line));
        }
      }
      producer.flush();
    }
    boolean asks = test.equals("joined");
    if (asks) {
      broker.createTopic(in + "-asks", 2);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
        int n = 0;
        for (int f = 0; f < FILES; f++) {
          for (String line : Files.readAllLines(input.resolve(String.format("bids-%03d.csv", f)))) {
            if (Long.parseLong(line.split(",")[1]) % 2 == 0) {
              producer.send(new ProducerRecord<>(in + "-asks", n++ % 2, null, line));
            }
          }
        }
        producer.flush();
      }
    }
    return new Connectors() {
      @Override
      public String source() {
        return kafkaSource(in);
      }

      @Override
      public String secondSource() {
        return asks ? kafkaSource(in + "-asks") : null;
      }

      private String kafkaSource(String topic) {
        return "WITH ('connector' = 'kafka', 'kafka.bootstrap.servers' = '" + broker.bootstrapServers()
            + "', 'subscribe' = '" + topic + "', 'startingOffsets' = 'earliest', 'endingOffsets' = 'latest', "
            + "'maxOffsetsPerTrigger' = '400', 'format' = 'csv')";
      }

      @Override
      public String sink(String run, String columns) {
        broker.createTopic(in + "-" + run, 1);
        return "(" + columns + ") WITH ('connector' = 'kafka', 'kafka.bootstrap.servers' = '"
            + broker.bootstrapServers() + "', 'topic' = '" + in + "-" + run + "', 'transactional' = 'true')";
      }

      @Override
      public List<String> output(String run) {
        return broker.readAll(in + "-" + run).stream().map(Map.Entry::getValue).toList();
      }
    };
  }
}
