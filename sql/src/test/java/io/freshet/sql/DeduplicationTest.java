package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.dropped;
import static io.freshet.sql.WindowAggregationTest.row;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deduplication: SELECT DISTINCT as an insert-only result, and {@code ROW_NUMBER() ... = 1} by event time planned
 * into the Deduplicate operator, whose pending rows, markers and kept rows show in the query's progress and move
 * between partitions when their number changes, in either state store.
 */
class DeduplicationTest {
  private static final String KEEP_FIRST = "SELECT k, v, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k "
      + "ORDER BY ts) AS rn FROM s) WHERE rn = 1";
  private static final String KEEP_LAST = "SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k "
      + "ORDER BY ts DESC) AS rn FROM s) WHERE rn <= 1";

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

  /** The Deduplicate operator's figures in the last progress. */
  private static StateOperatorProgress dedup(StreamingQuery q) {
    return q.lastProgress().stateOperators().stream().filter(o -> o.operatorName().equals("Deduplicate"))
        .findFirst().orElseThrow(() -> new AssertionError("no Deduplicate in " + q.lastProgress()));
  }

  private static StreamTest.Action state(String description, Map<String, Long> metrics, long total) {
    return assertOnQuery(description + ": " + metrics + ", " + total + " in all", q -> {
      StateOperatorProgress p = dedup(q);
      assertEquals(metrics, p.customMetrics(), description);
      assertEquals(total, p.numRowsTotal(), description);
      return true;
    });
  }

  private static Row first(String k, long v, int second) {
    return Row.of(k, v, WindowAggregationTest.at(second));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void keepFirstHoldsPendingRowsUntilTheWatermarkThenOnlyMarkers(String store) {
    session.conf().set("state-store", store);
    StreamTest.of(session, KEEP_FIRST).run(
        addData("s", row("a", 1, 3), row("b", 2, 4), row("a", 3, 2)),
        checkNewAnswer(),
        state("two keys wait for the watermark", Map.of("numPendingRows", 2L, "numMarkers", 0L), 2),
        // The watermark reaches 00:00:04: a's earliest row and b's row are final.
        addData("s", row("c", 4, 9)),
        checkNewAnswer(first("a", 3, 2), first("b", 2, 4)),
        state("a and b are markers, c waits", Map.of("numPendingRows", 1L, "numMarkers", 2L), 3),
        stopStream(),
        startStream(),
        // a's later row is a duplicate; b's of 00:00:01 is late (older than the watermark), dropped and counted.
        addData("s", row("a", 5, 10), row("b", 6, 1), row("c", 7, 8)),
        checkNewAnswer(),
        dropped(1),
        state("restored: c's earlier row waits in its place", Map.of("numPendingRows", 1L, "numMarkers", 2L), 3),
        addData("s", row("d", 8, 30)),
        checkNewAnswer(first("c", 7, 8)),
        state("c is a marker too", Map.of("numPendingRows", 1L, "numMarkers", 3L), 4));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void keepLastKeepsOneRowPerKeyAsAnUpdateStream(String store) {
    session.conf().set("state-store", store);
    StreamTest.of(session, KEEP_LAST).outputMode(OutputMode.UPDATE).run(
        addData("s", row("a", 1, 3), row("b", 2, 4), row("a", 3, 5)),
        checkAnswer(Row.of("a", 3L), Row.of("b", 2L)),
        state("a row per key", Map.of("numKeptRows", 2L), 2),
        stopStream(),
        startStream(),
        // An earlier row changes nothing, a later one replaces the key's row.
        addData("s", row("a", 4, 1), row("b", 5, 6), row("c", 6, 0)),
        checkAnswer(Row.of("a", 3L), Row.of("b", 5L), Row.of("c", 6L)),
        state("still a row per key", Map.of("numKeptRows", 3L), 3));
  }

  private StreamTest.Action parallelism(int n) {
    return StreamTest.parallelism(session, n);
  }

  private static Row[] rows(int from, int to, long plus, int second) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(row("key-" + i, plus + i, second));
    }
    return rows.toArray(new Row[0]);
  }

  private static Row[] firsts(int from, int to, long plus, int second) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(first("key-" + i, plus + i, second));
    }
    return rows.toArray(new Row[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void pendingRowsAndMarkersMoveToAnotherNumberOfPartitions(String store) {
    session.conf().set("state-store", store);
    List<Row> firstRows = new ArrayList<>(List.of(firsts(0, 10, 100, 0)));
    firstRows.addAll(List.of(firsts(10, 20, 0, 1)));
    StreamTest.of(session, KEEP_FIRST).outputMode(OutputMode.APPEND).run(
        addData("s", rows(0, 20, 0, 1)),
        checkNewAnswer(),
        stopStream(),
        parallelism(1),
        startStream(),
        // Earlier rows for half the keys replace their pending rows; the watermark then passes them all.
        addData("s", rows(0, 10, 100, 0)),
        addData("s", row("z", 1, 20)),
        checkNewAnswer(firstRows.toArray(new Row[0])),
        stopStream(),
        parallelism(2),
        startStream(),
        // Every key is a marker now, wherever it went; z's earlier row replaces its pending one, and the watermark
        // (00:00:25) then passes it.
        addData("s", concat(rows(0, 20, 200, 30), row("z", 2, 16))),
        checkNewAnswer(first("z", 2, 16)),
        state("only markers are left", Map.of("numPendingRows", 0L, "numMarkers", 21L), 21));
  }

  private static Row[] concat(Row[] rows, Row more) {
    List<Row> all = new ArrayList<>(List.of(rows));
    all.add(more);
    return all.toArray(new Row[0]);
  }

  @Test
  void selectDistinctIsInsertOnlyAndAppendModeTakesIt() {
    String distinct = "SELECT DISTINCT k, v FROM s";
    assertTrue(session.sql(distinct).explain().contains("emit=FIRST"), session.sql(distinct).explain());
    StreamTest.of(session, distinct).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("a", 1, 2), row("b", 1, 3)),
        checkNewAnswer(Row.of("a", 1L), Row.of("b", 1L)),
        stopStream(),
        startStream(),
        addData("s", row("b", 1, 4), row("a", 2, 5)),
        checkNewAnswer(Row.of("a", 2L)),
        assertOnQuery("one group per distinct row", q -> q.lastProgress().stateOperators().get(0).numRowsTotal()
            == 3));
  }

  @Test
  void theRowNumberPatternPlansADeduplicationOnlyByEventTime() {
    assertTrue(session.sql(KEEP_FIRST).explain().contains("Deduplicate(key=[$0], keep first by $2)"),
        session.sql(KEEP_FIRST).explain());
    assertTrue(session.sql(KEEP_LAST).explain().contains("Deduplicate(key=[$0], keep last by $2)"),
        session.sql(KEEP_LAST).explain());
    // Ordered by another column, or keeping two rows, it stays a Top-N.
    String byValue = "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) AS rn FROM s) "
        + "WHERE rn = 1";
    assertTrue(session.sql(byValue).explain().contains("Rank("), session.sql(byValue).explain());
    String two = "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn FROM s) "
        + "WHERE rn <= 2";
    assertTrue(session.sql(two).explain().contains("Rank("), session.sql(two).explain());
  }

  @Test
  void keepingTheLastRowIsRefusedInAppendAndCompleteMode() {
    FreshetException append = assertThrows(FreshetException.class, () -> session.sql(KEEP_LAST).writeStream()
        .format("memory").queryName("last").outputMode(OutputMode.APPEND).start());
    assertTrue(append.getMessage().contains("Append output mode cannot give the last row per key"),
        append.getMessage());
    FreshetException complete = assertThrows(FreshetException.class, () -> session.sql(KEEP_FIRST).writeStream()
        .format("memory").queryName("first").outputMode(OutputMode.COMPLETE).start());
    assertTrue(complete.getMessage().contains("use append output mode"), complete.getMessage());
  }
}
