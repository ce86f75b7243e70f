package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.Trigger;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tumbling and hopping window aggregations in each output mode, with late and out-of-order rows. */
class WindowAggregationTest {
  private static final String TUMBLE = "SELECT window_start, window_end, k, COUNT(*) AS c, SUM(v) AS s, MAX(v) AS m "
      + "FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";

  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  static LocalDateTime at(int seconds) {
    return LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(seconds);
  }

  static Row row(String k, long v, int second) {
    return Row.of(k, v, at(second));
  }

  static StreamTest.Action dropped(long rows) {
    return assertOnQuery(rows + " rows dropped as late", q -> lateRows(q) == rows);
  }

  static long lateRows(StreamingQuery q) {
    return q.lastProgress().stateOperators().stream().mapToLong(StateOperatorProgress::numRowsDroppedByWatermark)
        .sum();
  }

  @Test
  void tumblingWindowsInAppendModeEmitEachWindowOnceWhenTheWatermarkPassesItsEnd() {
    StreamTest.of(session, TUMBLE).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("b", 2, 3), row("a", 3, 8)),
        checkNewAnswer(),
        addData("s", row("a", 4, 12)),
        checkNewAnswer(),
        // The watermark reaches 11 s: [0 s, 10 s) is complete.
        addData("s", row("b", 5, 16)),
        checkNewAnswer(Row.of(at(0), at(10), "a", 2L, 4L, 3L), Row.of(at(0), at(10), "b", 1L, 2L, 2L)),
        // 5 s is older than the watermark (11 s): dropped and counted. 11 s is out of order but within the delay.
        addData("s", row("a", 100, 5), row("a", 6, 11)),
        checkNewAnswer(),
        dropped(1),
        addData("s", row("c", 1, 30)),
        checkNewAnswer(Row.of(at(10), at(20), "a", 2L, 10L, 6L), Row.of(at(10), at(20), "b", 1L, 5L, 5L)),
        checkAnswer(Row.of(at(0), at(10), "a", 2L, 4L, 3L), Row.of(at(0), at(10), "b", 1L, 2L, 2L),
            Row.of(at(10), at(20), "a", 2L, 10L, 6L), Row.of(at(10), at(20), "b", 1L, 5L, 5L)));
  }

  @Test
  void tumblingWindowsInUpdateModeReplaceEachWindowsRowAsItChanges() {
    // The memory table holds the result by its key (window and k): an update replaces the window's row.
    StreamTest.of(session, TUMBLE).outputMode(OutputMode.UPDATE).run(
        addData("s", row("a", 1, 1), row("b", 2, 3)),
        checkAnswer(Row.of(at(0), at(10), "a", 1L, 1L, 1L), Row.of(at(0), at(10), "b", 1L, 2L, 2L)),
        addData("s", row("a", 3, 8), row("a", 4, 12)),
        checkAnswer(Row.of(at(0), at(10), "a", 2L, 4L, 3L), Row.of(at(0), at(10), "b", 1L, 2L, 2L),
            Row.of(at(10), at(20), "a", 1L, 4L, 4L)),
        // The watermark passes 10 s: the window's state is dropped, and its late row with it; its row stays.
        addData("s", row("b", 5, 16)),
        checkAnswer(Row.of(at(0), at(10), "a", 2L, 4L, 3L), Row.of(at(0), at(10), "b", 1L, 2L, 2L),
            Row.of(at(10), at(20), "a", 1L, 4L, 4L), Row.of(at(10), at(20), "b", 1L, 5L, 5L)),
        addData("s", row("a", 7, 2)),
        checkAnswer(Row.of(at(0), at(10), "a", 2L, 4L, 3L), Row.of(at(0), at(10), "b", 1L, 2L, 2L),
            Row.of(at(10), at(20), "a", 1L, 4L, 4L), Row.of(at(10), at(20), "b", 1L, 5L, 5L)),
        dropped(1));
  }

  @Test
  void tumblingWindowsInCompleteModeRewriteTheWholeResult() {
    StreamTest.of(session, TUMBLE).outputMode(OutputMode.COMPLETE).run(
        addData("s", row("a", 1, 1), row("a", 2, 11)),
        checkAnswer(Row.of(at(0), at(10), "a", 1L, 1L, 1L), Row.of(at(10), at(20), "a", 1L, 2L, 2L)),
        addData("s", row("a", 5, 30)),
        // Complete mode keeps every window, closed or not.
        checkAnswer(Row.of(at(0), at(10), "a", 1L, 1L, 1L), Row.of(at(10), at(20), "a", 1L, 2L, 2L),
            Row.of(at(30), at(40), "a", 1L, 5L, 5L)));
  }

  @Test
  void appendIsTheDefaultForWindowsAndUpdateForRunningTotals() {
    StreamTest.of(session, TUMBLE).run(
        addData("s", row("a", 1, 1), row("a", 2, 20)),
        checkNewAnswer(Row.of(at(0), at(10), "a", 1L, 1L, 1L)),
        assertOnQuery("append mode", q -> session.sql(TUMBLE).plan().defaultMode() == OutputMode.APPEND));
    session.sql("CREATE STREAM s2 (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory')");
    StreamTest.of(session, "SELECT k, COUNT(*) AS c, SUM(v) AS total FROM s2 GROUP BY k").run(
        addData("s2", row("a", 1, 1), row("b", 2, 2), row("a", 3, 3)),
        checkAnswer(Row.of("a", 2L, 4L), Row.of("b", 1L, 2L)),
        addData("s2", row("a", 10, 100)),
        checkAnswer(Row.of("a", 3L, 14L), Row.of("b", 1L, 2L)),
        // Running totals are not event-time windows: an old row still counts.
        addData("s2", row("b", 1, 0)),
        checkAnswer(Row.of("a", 3L, 14L), Row.of("b", 2L, 3L)));
  }

  @Test
  void runningTotalsInCompleteMode() {
    StreamTest.of(session, "SELECT k, COUNT(*) AS c FROM s GROUP BY k").outputMode(OutputMode.COMPLETE).run(
        addData("s", row("a", 1, 1), row("b", 2, 2)),
        checkAnswer(Row.of("a", 1L), Row.of("b", 1L)),
        addData("s", row("a", 1, 1), row(null, 2, 2)),
        checkAnswer(Row.of("a", 2L), Row.of("b", 1L), Row.of(null, 1L)));
  }

  @Test
  void aggregatesWithoutGroupByGiveOneRow() {
    StreamTest.of(session, "SELECT COUNT(*) AS c, COUNT(k) AS ck, MIN(v) AS lo, AVG(v) AS mean, "
        + "MIN(k) AS first, MAX(k) AS last FROM s").outputMode(OutputMode.COMPLETE).run(
        addData("s", row("b", 4, 1), row(null, 2, 2)),
        checkAnswer(Row.of(2L, 1L, 2L, 3L, "b", "b")),
        addData("s", row("a", 9, 1), row("c", 1, 1)),
        checkAnswer(Row.of(4L, 3L, 1L, 4L, "a", "c")));
  }

  @Test
  void distinctCounts() {
    StreamTest.of(session, "SELECT window_start, COUNT(DISTINCT k) AS dk, APPROX_COUNT_DISTINCT(v) AS av "
        + "FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end").run(
        addData("s", row("a", 1, 1), row("b", 1, 2), row("a", 2, 3)),
        addData("s", row("a", 3, 4), row("c", 3, 5), row(null, 4, 6)),
        addData("s", row("z", 0, 40)),
        checkNewAnswer(Row.of(at(0), 3L, 4L)));
  }

  @Test
  void hoppingWindowsCountARowInEveryWindowThatCoversIt() {
    String hop = "SELECT window_start, window_end, COUNT(*) AS c FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
    StreamTest.of(session, hop).run(
        addData("s", row("a", 1, 1), row("a", 1, 6), row("a", 1, 7)),
        checkNewAnswer(),
        addData("s", row("a", 1, 16)),
        // The watermark is 11 s: [-5 s, 5 s) and [0 s, 10 s) are complete.
        checkNewAnswer(Row.of(at(-5), at(5), 1L), Row.of(at(0), at(10), 3L)),
        addData("s", row("a", 1, 40)),
        checkNewAnswer(Row.of(at(5), at(15), 2L), Row.of(at(10), at(20), 1L), Row.of(at(15), at(25), 1L)));
  }

  @Test
  void aLateRowInABatchDoesNotShiftHoppingWindowsOfTheOthers() {
    // One late row dropped and one row in two windows: as many output rows as input rows, yet not the same rows.
    String hop = "SELECT window_start, window_end, SUM(v) AS total FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
    StreamTest.of(session, hop).run(
        addData("s", row("a", 1, 20)),
        checkNewAnswer(),
        addData("s", row("a", 111, 2), row("a", 222, 32)),
        checkNewAnswer(Row.of(at(15), at(25), 1L)),
        dropped(1),
        addData("s", row("a", 1, 60)),
        checkNewAnswer(Row.of(at(20), at(30), 1L), Row.of(at(25), at(35), 222L), Row.of(at(30), at(40), 222L)));
  }

  @Test
  void windowOffsetShiftsTheBoundaries() {
    StreamTest.of(session, "SELECT window_start, window_end, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, "
        + "DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '3' SECOND)) GROUP BY window_start, window_end").run(
        addData("s", row("a", 1, 2), row("a", 1, 3), row("a", 1, 12)),
        addData("s", row("a", 1, 30)),
        checkNewAnswer(Row.of(at(-7), at(3), 1L), Row.of(at(3), at(13), 2L)));
  }

  @Test
  void restartingBetweenEveryBatchGivesTheSameAnswer() {
    restartingBetweenEveryBatch(session, Trigger.ProcessingTime(0));
  }

  /**
   * Windows over {@code s} and a running count with a restart after every batch, under {@code trigger}: the story
   * other triggers' tests tell too ({@link ContinuousTriggerTest}).
   */
  static void restartingBetweenEveryBatch(FreshetSession session, Trigger trigger) {
    StreamTest.of(session, TUMBLE).trigger(trigger).restartAfterEveryAction().run(
        addData("s", row("a", 1, 1), row("b", 2, 3), row("a", 3, 8)),
        addData("s", row("a", 4, 12)),
        addData("s", row("b", 5, 16)),
        addData("s", row("a", 100, 5), row("a", 6, 11)),
        addData("s", row("c", 1, 30)),
        checkAnswer(Row.of(at(0), at(10), "a", 2L, 4L, 3L), Row.of(at(0), at(10), "b", 1L, 2L, 2L),
            Row.of(at(10), at(20), "a", 2L, 10L, 6L), Row.of(at(10), at(20), "b", 1L, 5L, 5L)));
    session.sql("CREATE STREAM s2 (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory')");
    StreamTest.of(session, "SELECT k, COUNT(*) AS c, COUNT(DISTINCT v) AS dv FROM s2 GROUP BY k")
        .outputMode(OutputMode.COMPLETE).trigger(trigger).restartAfterEveryAction().run(
        addData("s2", row("a", 1, 1), row("b", 2, 3)),
        addData("s2", row("a", 1, 2)),
        addData("s2", row("a", 2, 2), row("b", 2, 9)),
        checkAnswer(Row.of("a", 3L, 2L), Row.of("b", 2L, 1L)));
  }

  @Test
  void modesThePlanCannotGiveAreRefusedAtStart() {
    String message = refused("SELECT k, COUNT(*) FROM s GROUP BY k", "append");
    assertTrue(message.contains("Append output mode needs a window for the aggregation GROUP BY k"), message);
    assertTrue(message.contains("use update or complete mode"), message);
    session.sql("CREATE STREAM plain (k VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'memory')");
    message = refused("SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE plain, DESCRIPTOR(ts), "
        + "INTERVAL '1' MINUTE)) GROUP BY window_start, window_end", "append");
    assertTrue(message.contains("needs an event-time column: declare a watermark on it"), message);
    message = refused("SELECT k FROM s", "complete");
    assertTrue(message.contains("needs an aggregation"), message);
  }

  private String refused(String query, String mode) {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql(query).writeStream()
        .format("memory").queryName("refused").outputMode(mode).start());
    return e.getMessage();
  }

  @Test
  void lateRowsGoToTheLateRowsTableOnceEach() {
    session.conf().set("late-rows-table", "late_s");
    StreamTest.of(session, TUMBLE).restartAfterEveryAction().run(
        addData("s", row("a", 1, 20)),
        // The watermark is 15 s: 3 s is late, 16 s is not.
        addData("s", row("a", 2, 3), row("b", 3, 16)),
        addData("s", row("c", 4, 14), row("c", 5, 40)),
        assertOnQuery("the late rows, each once", q -> session.memoryTableRows("late_s").equals(
            java.util.List.of(row("a", 2, 3), row("c", 4, 14)))));
    assertTrue(session.sql("SELECT k FROM late_s WHERE v > 3").collectAsList().equals(java.util.List.of(
        Row.of("c"))));
  }
}
