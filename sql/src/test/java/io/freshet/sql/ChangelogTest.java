package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Results that change: an aggregation over running totals takes changed rows back out, update mode writes upserts
 * and deletes by the result's key, and {@code SET 'changelog-mode' = 'true'} shows every change with its kind.
 */
class ChangelogTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static final String KEYS_PER_COUNT = "SELECT n, COUNT(*) AS keys FROM (SELECT k, COUNT(*) AS n FROM s "
      + "GROUP BY k) GROUP BY n";

  @Test
  void changelogModeShowsEveryChangeWithItsKind() {
    session.sql("SET 'changelog-mode' = 'true'");
    assertEquals(List.of("op", "n", "keys"), session.sql(KEYS_PER_COUNT).columns());
    StreamTest.of(session, KEYS_PER_COUNT).outputMode(OutputMode.UPDATE).run(
        addData("s", Row.of("a", 1L), Row.of("b", 1L)),
        checkNewAnswer(Row.of("+I", 1L, 2L)),
        // a's count goes from 1 to 2: count 1 loses a key, count 2 is new.
        addData("s", Row.of("a", 1L)),
        checkNewAnswer(Row.of("-U", 1L, 2L), Row.of("+U", 1L, 1L), Row.of("+I", 2L, 1L)),
        // b's too: no key has count 1 any more, so its row is deleted.
        addData("s", Row.of("b", 1L)),
        checkNewAnswer(Row.of("-D", 1L, 1L), Row.of("-U", 2L, 1L), Row.of("+U", 2L, 2L)));
  }

  @Test
  void changelogModeRunsInAppendModeByDefault() {
    session.sql("SET 'changelog-mode' = 'true'");
    assertEquals(OutputMode.APPEND, session.sql(KEYS_PER_COUNT).plan().defaultMode());
    StreamTest.of(session, KEYS_PER_COUNT).run(
        addData("s", Row.of("a", 1L)),
        StreamTest.processAllAvailable(),
        addData("s", Row.of("a", 1L)),
        checkAnswer(Row.of("+I", 1L, 1L), Row.of("-D", 1L, 1L), Row.of("+I", 2L, 1L)));
  }

  @Test
  void aCastThatCanMergeKeysDropsTheKey() {
    // Two groups whose keys cast to one value stay two rows: the cast key is not the result's key.
    session.sql("CREATE STREAM d (x DOUBLE) WITH ('connector' = 'memory')");
    StreamTest.of(session, "SELECT CAST(x AS BIGINT) AS kx, COUNT(*) AS c FROM d GROUP BY x")
        .outputMode(OutputMode.UPDATE).run(
            addData("d", Row.of(1.2), Row.of(1.7)),
            checkAnswer(Row.of(1L, 1L), Row.of(1L, 1L)),
            addData("d", Row.of(1.2)),
            checkAnswer(Row.of(1L, 2L), Row.of(1L, 1L)));
  }

  @Test
  void updateModeDeletesARowThatLeavesTheResult() {
    StreamTest.of(session, KEYS_PER_COUNT).outputMode(OutputMode.UPDATE).restartAfterEveryAction().run(
        addData("s", Row.of("a", 1L), Row.of("b", 1L)),
        checkAnswer(Row.of(1L, 2L)),
        addData("s", Row.of("a", 1L), Row.of("b", 1L)),
        checkAnswer(Row.of(2L, 2L)),
        addData("s", Row.of("c", 1L)),
        checkAnswer(Row.of(1L, 1L), Row.of(2L, 2L)));
  }

  @Test
  void aRowThatAFilterDropsAfterAnUpdateLeavesTheResult() {
    // HAVING drops a key's new row once its count reaches 3; its earlier row must go from the result too.
    StreamTest.of(session, "SELECT k, COUNT(*) AS n FROM s GROUP BY k HAVING COUNT(*) < 3")
        .outputMode(OutputMode.UPDATE).run(
            addData("s", Row.of("a", 1L), Row.of("a", 1L), Row.of("b", 1L)),
            checkAnswer(Row.of("a", 2L), Row.of("b", 1L)),
            addData("s", Row.of("a", 1L)),
            checkAnswer(Row.of("b", 1L)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void runningTotalsOfRunningTotalsInEachStateStoreAcrossRestarts(String store) {
    session.sql("SET 'state-store' = '" + store + "'");
    StreamTest.of(session, "SELECT n, COUNT(*) AS keys, SUM(total) AS total, AVG(total) AS mean FROM (SELECT k, "
        + "COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k) GROUP BY n").outputMode(OutputMode.UPDATE)
        .restartAfterEveryAction().run(
            addData("s", Row.of("a", 1L), Row.of("b", 2L), Row.of("a", 3L)),
            checkAnswer(Row.of(2L, 1L, 4L, 4L), Row.of(1L, 1L, 2L, 2L)),
            addData("s", Row.of("b", 10L)),
            checkAnswer(Row.of(2L, 2L, 16L, 8L)),
            addData("s", Row.of("c", 5L), Row.of("a", 1L)),
            checkAnswer(Row.of(1L, 1L, 5L, 5L), Row.of(2L, 1L, 12L, 12L), Row.of(3L, 1L, 5L, 5L)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void topNOverRunningTotalsInEachStateStoreAcrossRestarts(String store) {
    session.sql("SET 'state-store' = '" + store + "'");
    StreamTest.of(session, "SELECT rn, k, n FROM (SELECT k, n, ROW_NUMBER() OVER (ORDER BY n DESC, k) AS rn "
        + "FROM (SELECT k, COUNT(*) AS n FROM s GROUP BY k)) WHERE rn <= 2").outputMode(OutputMode.UPDATE)
        .restartAfterEveryAction().run(
            addData("s", Row.of("a", 1L), Row.of("b", 1L), Row.of("a", 1L)),
            checkAnswer(Row.of(1L, "a", 2L), Row.of(2L, "b", 1L)),
            addData("s", Row.of("c", 1L), Row.of("c", 1L), Row.of("c", 1L)),
            checkAnswer(Row.of(1L, "c", 3L), Row.of(2L, "a", 2L)),
            // b passes a and c: a leaves the top two, and the row that held rank 2 is replaced.
            addData("s", Row.of("b", 1L), Row.of("b", 1L), Row.of("b", 1L)),
            checkAnswer(Row.of(1L, "b", 4L), Row.of(2L, "c", 3L)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void topNPerKeyOverAStreamInEachStateStore(String store) {
    session.sql("SET 'state-store' = '" + store + "'");
    StreamTest.of(session, "SELECT k, r, v FROM (SELECT k, v, DENSE_RANK() OVER (PARTITION BY k ORDER BY v) AS r "
        + "FROM s) WHERE r <= 2").outputMode(OutputMode.UPDATE).restartAfterEveryAction().run(
            addData("s", Row.of("a", 5L), Row.of("a", 3L), Row.of("b", null), Row.of("a", 3L)),
            checkAnswer(Row.of("a", 1L, 3L), Row.of("a", 1L, 3L), Row.of("a", 2L, 5L), Row.of("b", 1L, null)),
            addData("s", Row.of("a", 4L), Row.of("b", -2L)),
            // Nulls sort lowest, as in the window Top-N.
            checkAnswer(Row.of("a", 1L, 3L), Row.of("a", 1L, 3L), Row.of("a", 2L, 4L), Row.of("b", 1L, null),
                Row.of("b", 2L, -2L)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"update", "complete", "append"})
  void windowsInRocksDbAcrossRestarts(String mode) {
    session.sql("SET 'state-store' = 'rocksdb'");
    session.sql("CREATE STREAM w (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) "
        + "WITH ('connector' = 'memory')");
    java.util.function.BiFunction<Integer, Integer, Row> window = (start, n) -> Row.of(
        java.time.LocalDateTime.of(2026, 1, 1, 0, 0, start), java.time.LocalDateTime.of(2026, 1, 1, 0, 0, start + 10),
        "a", (long) n);
    java.util.function.BiFunction<Integer, Long, Row> at = (second, v) -> Row.of("a", v,
        java.time.LocalDateTime.of(2026, 1, 1, 0, 0, second));
    // The row at 4 s comes after the watermark reached 7 s: late, dropped. The window [0, 10) closes when the
    // watermark passes 10 s; in append mode it is emitted then, once.
    StreamTest.of(session, "SELECT window_start, window_end, k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE w, "
        + "DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k")
        .outputMode(OutputMode.parse(mode)).restartAfterEveryAction().run(
            addData("w", at.apply(1, 1L), at.apply(2, 1L)),
            addData("w", at.apply(3, 1L), at.apply(12, 1L)),
            addData("w", at.apply(16, 1L), at.apply(4, 1L)),
            checkAnswer(mode.equals("append") ? new Row[] {window.apply(0, 3)}
                : new Row[] {window.apply(0, 3), window.apply(10, 2)}),
            // The watermark passes 20 s: [10, 20) closes; the row at 5 s is late too.
            addData("w", at.apply(26, 1L), at.apply(5, 1L)),
            checkAnswer(mode.equals("append") ? new Row[] {window.apply(0, 3), window.apply(10, 2)}
                : new Row[] {window.apply(0, 3), window.apply(10, 2), window.apply(20, 1)}));
  }

  @Test
  void completeModeOverRunningTotalsLeavesOutEmptiedRows() {
    StreamTest.of(session, KEYS_PER_COUNT).outputMode(OutputMode.COMPLETE).run(
        addData("s", Row.of("a", 1L)),
        checkAnswer(Row.of(1L, 1L)),
        addData("s", Row.of("a", 1L)),
        checkAnswer(Row.of(2L, 1L)));
  }

  @Test
  void foreachBatchGetsTheUpsertsOfEachBatch() {
    List<List<Row>> batches = new ArrayList<>();
    StreamingQuery query = session.sql(KEYS_PER_COUNT).writeStream().outputMode(OutputMode.UPDATE)
        .foreachBatch((rows, id) -> batches.add(rows.collectAsList())).start();
    try {
      session.memoryStream("s").addData(List.of(Row.of("a", 1L), Row.of("b", 1L)));
      query.processAllAvailable();
      session.memoryStream("s").addData(List.of(Row.of("a", 1L)));
      query.processAllAvailable();
    } finally {
      query.stop();
    }
    // Spark's update mode: the rows that changed; the row count 1 had before is not repeated.
    assertEquals(List.of("[[1,2]]", "[[1,1], [2,1]]"), batches.stream().filter(b -> !b.isEmpty())
        .map(b -> b.stream().map(Row::toString).sorted().toList().toString()).toList());
  }

  @Test
  void theConsoleSinkPrintsTheRowsThatLeftTheResult() {
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    try (FreshetSession own = FreshetSession.builder().console(new java.io.PrintStream(printed, true)).create()) {
      own.sql("CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('connector' = 'memory')");
      StreamingQuery query = own.sql(KEYS_PER_COUNT).writeStream().format("console").outputMode(OutputMode.UPDATE)
          .start();
      try {
        for (String k : new String[] {"a", "a"}) {
          own.memoryStream("s").addData(Row.of(k, 1L));
          query.processAllAvailable();
        }
      } finally {
        query.stop();
      }
    }
    String batch1 = printed.toString().substring(printed.toString().indexOf("Batch: 1"));
    assertTrue(batch1.matches("(?s).*\\|\\s*2\\|\\s*1\\|.*Taken back \\(deleted, or replaced by a row above\\):.*\\|\\s*1\\|\\s*1\\|.*"),
        batch1);
  }

  @Test
  void settingIsTrueOrFalse() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SET 'changelog-mode' = 'yes'"));
    assertTrue(e.getMessage().contains("'changelog-mode' is true or false, not 'yes'"), e.getMessage());
  }
}
