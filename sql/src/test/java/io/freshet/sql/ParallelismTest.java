package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.at;
import static io.freshet.sql.WindowAggregationTest.row;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.execute;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query runs in P partitions (SET 'parallelism'): stateless rows keep their input order, stateful operators
 * get their keys through a hash exchange, and a query restarted with another number of partitions takes its
 * state along and gives the same answer.
 */
class ParallelismTest {
  private static final String COUNTS = "SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k";
  private static final String WINDOWS = "SELECT window_start, k, COUNT(*) AS n, SUM(v) AS total "
      + "FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";

  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[3]").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private StreamTest.Action parallelism(int n) {
    return StreamTest.parallelism(session, n);
  }

  private static Row[] keys(int from, int to, long count) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(Row.of("key-" + i, count, count * i));
    }
    return rows.toArray(new Row[0]);
  }

  private static Row[] input(int from, int to, int second) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(row("key-" + i, i, second));
    }
    return rows.toArray(new Row[0]);
  }

  @Test
  void runningTotalsMoveToAnotherNumberOfPartitionsAndBack() {
    StreamTest.of(session, COUNTS).outputMode(OutputMode.COMPLETE).run(
        addData("s", input(0, 50, 1)),
        checkAnswer(keys(0, 50, 1)),
        stopStream(),
        parallelism(1),
        startStream(),
        addData("s", input(0, 50, 2)),
        checkAnswer(keys(0, 50, 2)),
        stopStream(),
        parallelism(2),
        startStream(),
        addData("s", input(0, 60, 3)),
        checkAnswer(concat(keys(0, 50, 3), keys(50, 60, 1))),
        stopStream(),
        parallelism(5),
        startStream(),
        addData("s", input(0, 60, 4)),
        checkAnswer(concat(keys(0, 50, 4), keys(50, 60, 2))));
  }

  @Test
  void openWindowsMoveToAnotherNumberOfPartitionsAndCloseThere() {
    StreamTest.of(session, WINDOWS).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("b", 2, 3), row("c", 3, 4), row("d", 4, 5)),
        checkNewAnswer(),
        stopStream(),
        parallelism(2),
        startStream(),
        addData("s", row("a", 10, 8), row("e", 5, 9)),
        checkNewAnswer(),
        stopStream(),
        parallelism(1),
        startStream(),
        // The watermark passes 10 s: every key's window closes, with the rows of all three runs.
        addData("s", row("a", 1, 20)),
        checkNewAnswer(Row.of(at(0), "a", 2L, 11L), Row.of(at(0), "b", 1L, 2L), Row.of(at(0), "c", 1L, 3L),
            Row.of(at(0), "d", 1L, 4L), Row.of(at(0), "e", 1L, 5L)));
  }

  @Test
  void theSameAnswerInOneAndInSeveralPartitionsWithARestartAfterEveryBatch() {
    List<List<Row>> answers = new ArrayList<>();
    for (int p : new int[] {1, 3}) {
      try (FreshetSession own = FreshetSession.builder().master("local[" + p + "]").create()) {
        own.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
        StreamTest.of(own, WINDOWS).outputMode(OutputMode.UPDATE).restartAfterEveryAction().run(
            addData("s", input(0, 40, 1)),
            addData("s", input(20, 60, 4)),
            addData("s", input(0, 10, 12)),
            execute("keep the answer", q -> answers.add(own.memoryTableRows(((StreamExecution) q).name()))));
      }
    }
    assertEquals(70, answers.get(0).size(), "the memory table holds each window's latest row: 60 keys of [0, 10), "
        + "10 of [10, 20)");
    assertEquals(sorted(answers.get(0)), sorted(answers.get(1)));
  }

  @Test
  void aQueryWithoutStateHoldsOnlyTheBatchesInFlight() {
    // A million bids in one micro-batch, 24 MB of output columns, through an 8 MB session in two partitions: each
    // source batch's rows go to the sink once it and the batches before it are done, not at the batch's end.
    try (FreshetSession small = FreshetSession.builder().master("local[2]").memoryLimit(8L << 20).create()) {
      small.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '1000000', "
          + "'base-time' = '2026-01-01 00:00:00')");
      var query = small.sql("SELECT auction, bidder, price FROM bids").writeStream().format("blackhole")
          .trigger(io.freshet.streaming.Trigger.AvailableNow()).start();
      query.awaitTermination();
      assertEquals(1_000_000 * 46 / 50, query.recentProgress().stream().mapToLong(p -> p.sink().numOutputRows())
          .sum());
    }
  }

  @Test
  void partialAggregatesOfMoreGroupsThanACombinerHoldsAddUp() {
    // Half a million bids in one micro-batch over two partitions: each partition folds what it reads into partial
    // aggregates, sent on whenever it holds 65 536 groups (here well over 100 000 pairs of auction and bidder), and
    // the aggregation merges them into the same counts, sums and extremes as one partition computes.
    List<List<Row>> answers = inOneAndTwoPartitions(500_000, "SELECT auction, bidder, COUNT(*), SUM(price), "
        + "MIN(price), MAX(channel), AVG(price) FROM bids GROUP BY auction, bidder");
    assertTrue(answers.get(0).size() > 2 * 65_536, "groups: " + answers.get(0).size());
    assertEquals(500_000L * 46 / 50, answers.get(1).stream().mapToLong(r -> r.getLong(2)).sum());
    assertEquals(sorted(answers.get(0)), sorted(answers.get(1)));
  }

  @Test
  void sumsOfDoublesDoNotDependOnTheNumberOfPartitions() {
    // Adding doubles in another order changes their last bits: an aggregation sees its rows in the same order
    // whatever the number of partitions, so SUM and AVG of doubles are not pre-aggregated per partition.
    List<List<Row>> answers = inOneAndTwoPartitions(200_000, "SELECT bidder, SUM(CAST(price AS DOUBLE) / 7), "
        + "AVG(CAST(price AS DOUBLE) / 3) FROM bids GROUP BY bidder");
    assertTrue(answers.get(0).size() > 1000, "bidders: " + answers.get(0).size());
    assertEquals(sorted(answers.get(0)), sorted(answers.get(1)));
  }

  /** The complete result of {@code query} over {@code events} Nexmark events as {@code bids}, in one and two partitions. */
  private static List<List<Row>> inOneAndTwoPartitions(int events, String query) {
    List<List<Row>> answers = new ArrayList<>();
    for (int p : new int[] {1, 2}) {
      try (FreshetSession own = FreshetSession.builder().master("local[" + p + "]").create()) {
        own.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '" + events + "', "
            + "'base-time' = '2026-01-01 00:00:00')");
        StreamingQuery running = own.sql(query).writeStream().format("memory").queryName("result")
            .outputMode("complete").trigger(io.freshet.streaming.Trigger.AvailableNow()).start();
        running.awaitTermination();
        answers.add(own.memoryTableRows("result"));
      }
    }
    return answers;
  }

  @Test
  void rowsOfAQueryWithoutStateKeepTheirInputOrder() {
    List<Row> in = new ArrayList<>();
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      in.add(row("key-" + i, i, i));
      if (i % 3 != 0) {
        out.add(Row.of("key-" + i, (long) i * 2));
      }
    }
    StreamTest.of(session, "SELECT k, v * 2 FROM s WHERE MOD(v, 3) <> 0").run(
        // Many small batches, so that each partition gets several.
        execute("add 20 batches", q -> {
          for (int b = 0; b < 20; b++) {
            session.memoryStream("s").addData(in.subList(b * 10, b * 10 + 10));
          }
        }),
        assertOnQuery("rows in input order", q -> {
          q.processAllAvailable();
          return session.memoryTableRows(((StreamExecution) q).name()).equals(out);
        }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void stateMovesToAnotherNumberOfPartitionsInEachStateStore(String store) {
    // Running totals: RocksDB keeps them in a database per partition, which a new layout gathers from the old.
    session.conf().set("state-store", store);
    // The distinct seconds of each key: its distinct values move with it (a second state in RocksDB).
    String totals = "SELECT k, COUNT(*) AS c, SUM(v) AS total, COUNT(DISTINCT ts) AS seconds FROM s GROUP BY k";
    List<Row> expected = new ArrayList<>();
    for (int k = 0; k < 30; k++) {
      expected.add(Row.of("key-" + k, k < 10 ? 4L : 3L, (long) (k < 10 ? 4 * k : 3 * k), k < 10 ? 3L : 2L));
    }
    StreamTest.of(session, totals).outputMode(OutputMode.UPDATE).run(
        addData("s", input(0, 30, 1)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(2),
        startStream(),
        addData("s", input(0, 30, 2)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(5),
        startStream(),
        addData("s", input(0, 10, 3)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(1),
        startStream(),
        // Every key again, so that a key whose state a move lost would show it.
        addData("s", input(0, 30, 1)),
        checkAnswer(expected.toArray(new Row[0])));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void aTopNMovesToAnotherNumberOfPartitionsInEachStateStore(String store) {
    session.conf().set("state-store", store);
    String top = "SELECT k, r, v FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS r FROM s) "
        + "WHERE r <= 2";
    List<Row> expected = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      expected.add(Row.of("key-" + k, 1L, k * 10L + 4));
      expected.add(Row.of("key-" + k, 2L, k * 10L + 3));
    }
    StreamTest.of(session, top).outputMode(OutputMode.UPDATE).run(
        addData("s", values(1)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(2),
        startStream(),
        addData("s", values(3)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(5),
        startStream(),
        addData("s", values(2)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(1),
        startStream(),
        addData("s", values(4)),
        checkAnswer(expected.toArray(new Row[0])));
  }

  /**
   * Windowed state in RocksDB, keyed by a time first: tumbling windows (by close time, with the distinct values),
   * sessions (by end) and the rows a window Top-N holds (by close time). Each with the number of rows of its answer and one of them.
   */
  static List<org.junit.jupiter.params.provider.Arguments> windowedQueries() {
    return List.of(
        org.junit.jupiter.params.provider.Arguments.of(
            WINDOWS.replace("SUM(v) AS total", "SUM(v) AS total, COUNT(DISTINCT v) AS dv"), 30 + 30 + 30,
            Row.of(at(0), "key-7", 2L, 14L, 1L)),
        // Per key: [1, 4), [8, 17) for the five keys whose row at 10 s joins [8, 11) and [12, 17) after a move, and
        // [8, 11), [14, 17) or [12, 17) for the others; [31, 34) stays open.
        org.junit.jupiter.params.provider.Arguments.of("SELECT window_start, window_end, k, COUNT(*) AS n, "
            + "SUM(v) AS total FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '3' SECOND)) "
            + "GROUP BY window_start, window_end, k", 30 + 5 + 25 * 2 + 30, Row.of(at(8), at(17), "key-3", 4L, 12L)),
        // A window Top-N: each key's latest row per window ([30, 40) is still open), ties by arrival.
        org.junit.jupiter.params.provider.Arguments.of("SELECT window_start, k, ts, r FROM (SELECT window_start, k, "
            + "ts, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, k ORDER BY ts DESC) AS r FROM "
            + "TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE r <= 1", 30 + 30,
            Row.of(at(10), "key-3", at(14), 1L)));
  }

  @ParameterizedTest
  @MethodSource("windowedQueries")
  void windowedStateInRocksDbMovesToAnotherNumberOfPartitions(String query, int rows, Row oneRow) {
    // A move decodes each entry's key after the time it starts with.
    List<List<Row>> answers = new ArrayList<>();
    for (String store : new String[] {"memory", "rocksdb"}) {
      try (FreshetSession own = FreshetSession.builder().master("local[3]").create()) {
        own.conf().set("state-store", store);
        own.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
            + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
        java.util.function.IntFunction<StreamTest.Action> partitions = n -> execute("parallelism " + n,
            q -> own.conf().set("parallelism", String.valueOf(n)));
        StreamTest.of(own, query).outputMode(OutputMode.UPDATE).run(
            addData("s", input(0, 30, 1)),
            StreamTest.processAllAvailable(),
            stopStream(),
            partitions.apply(2),
            startStream(),
            addData("s", input(0, 30, 8)),
            addData("s", input(0, 5, 12)),
            StreamTest.processAllAvailable(),
            stopStream(),
            partitions.apply(5),
            startStream(),
            addData("s", input(0, 30, 14)),
            StreamTest.processAllAvailable(),
            addData("s", input(0, 5, 10)),
            StreamTest.processAllAvailable(),
            stopStream(),
            partitions.apply(1),
            startStream(),
            addData("s", input(0, 30, 31)),
            StreamTest.processAllAvailable(),
            execute("keep the answer", q -> answers.add(own.memoryTableRows(((StreamExecution) q).name()))));
      }
    }
    assertEquals(rows, answers.get(0).size(), answers.get(0).toString());
    assertTrue(answers.get(0).contains(oneRow), answers.get(0).toString());
    assertEquals(sorted(answers.get(0)), sorted(answers.get(1)));
  }

  /** A row per key, key-0 to key-19, with value {@code k * 10 + b}. */
  private static Row[] values(int b) {
    Row[] rows = new Row[20];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = row("key-" + k, k * 10 + b, b);
    }
    return rows;
  }

  @Test
  void stateLivesInOneDirectoryPerRangeOfKeyGroups() throws Exception {
    Path checkpoint = Files.createTempDirectory("freshet-parallel-");
    try {
      var query = session.sql(COUNTS).writeStream().format("memory").queryName("layout")
          .outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString()).start();
      session.memoryStream("s").addData(input(0, 10, 1));
      query.processAllAvailable();
      query.stop();
      Path node = checkpoint.resolve("state").resolve("2");
      assertEquals(List.of("0-42", "43-85", "86-127"), list(node));
      session.conf().set("parallelism", "2");
      query = session.sql(COUNTS).writeStream().format("memory").queryName("layout")
          .outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString()).start();
      session.memoryStream("s").addData(input(0, 10, 2));
      query.processAllAvailable();
      assertEquals(List.of("0-42", "0-63", "43-85", "64-127", "86-127"), list(node),
          "after one commit in two partitions the batch before it is still in the three-partition layout");
      session.memoryStream("s").addData(input(0, 10, 3));
      query.processAllAvailable();
      query.stop();
      assertEquals(List.of("0-63", "64-127"), list(node), "the three-partition layout is gone after two commits");
    } finally {
      try (Stream<Path> paths = Files.walk(checkpoint)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void stateThatIsGoneFromTheCheckpointIsAnErrorNotAStartFromZero() throws Exception {
    Path checkpoint = Files.createTempDirectory("freshet-parallel-");
    try {
      var query = session.sql(COUNTS).writeStream().format("memory").queryName("gone")
          .outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString()).start();
      session.memoryStream("s").addData(input(0, 10, 1));
      query.processAllAvailable();
      query.stop();
      Path node = checkpoint.resolve("state").resolve("2");
      try (Stream<Path> paths = Files.walk(node.resolve("43-85"))) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      var again = session.sql(COUNTS).writeStream().format("memory").queryName("gone")
          .outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString()).start();
      RuntimeException e = assertThrows(RuntimeException.class, again::awaitTermination);
      assertTrue(e.getMessage().contains("The state of operator 2 (Aggregate) for batch 0 cannot be restored: "
          + node.resolve("43-85") + " is missing, and no complete set of directories under " + node + " holds it"),
          e.getMessage());
    } finally {
      try (Stream<Path> paths = Files.walk(checkpoint)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aBadParallelismSaysWhatIsAllowed() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SET 'parallelism' = '0'"));
    assertTrue(e.getMessage().contains("Setting 'parallelism' is a number of partitions from 1 to 128, not '0'"),
        e.getMessage());
    e = assertThrows(FreshetException.class, () -> FreshetSession.builder().master("local[500]"));
    assertTrue(e.getMessage().contains("from 1 to 128"), e.getMessage());
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  private static Row[] concat(Row[] a, Row[] b) {
    List<Row> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(new Row[0]);
  }
}
