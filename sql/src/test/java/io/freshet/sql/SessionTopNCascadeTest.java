package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.at;
import static io.freshet.sql.WindowAggregationTest.dropped;
import static io.freshet.sql.WindowAggregationTest.row;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Session windows, per-window Top-N and aggregations over window aggregations. */
class SessionTopNCascadeTest {
  private static final String SESSIONS = "SELECT window_start, window_end, k, COUNT(*) AS c, SUM(v) AS s "
      + "FROM TABLE(SESSION(TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) "
      + "GROUP BY window_start, window_end, k";

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

  @Test
  void sessionsCloseAfterTheGapAndMergeWhenARowBridgesThem() {
    StreamTest.of(session, SESSIONS).run(
        addData("s", row("a", 1, 0), row("a", 1, 3), row("b", 1, 1)),
        checkNewAnswer(),
        // The watermark reaches 15 s: a's [0 s, 8 s) and b's [1 s, 6 s) can take no more rows.
        addData("s", row("a", 1, 20)),
        checkNewAnswer(Row.of(at(0), at(8), "a", 2L, 2L), Row.of(at(1), at(6), "b", 1L, 1L)),
        // The watermark is 25 s; a's [20 s, 25 s) stays open, since a row at 25 s would still join it.
        addData("s", row("b", 1, 30)),
        checkNewAnswer(),
        addData("s", row("a", 10, 27)),
        // 25 s is exactly the gap after 20 s and within the gap before 27 s: it joins both into one session.
        addData("s", row("a", 100, 25)),
        checkNewAnswer(),
        addData("s", row("c", 0, 50)),
        checkNewAnswer(Row.of(at(20), at(32), "a", 3L, 111L), Row.of(at(30), at(35), "b", 1L, 1L)));
  }

  @Test
  void lateRowsAreDroppedAndCountedBySessions() {
    StreamTest.of(session, SESSIONS).run(
        addData("s", row("a", 1, 20)),
        checkNewAnswer(),
        addData("s", row("a", 1, 2)),
        checkNewAnswer(),
        dropped(1));
  }

  @Test
  void aGlobalSessionStreamHasNoKey() {
    StreamTest.of(session, "SELECT window_start, window_end, COUNT(*) AS c FROM TABLE(SESSION(TABLE s, "
        + "DESCRIPTOR(ts), INTERVAL '2' SECOND)) GROUP BY window_start, window_end").run(
        addData("s", row("a", 1, 0), row("b", 1, 1), row("c", 1, 5)),
        addData("s", row("a", 1, 20)),
        checkNewAnswer(Row.of(at(0), at(3), 2L), Row.of(at(5), at(7), 1L)));
  }

  @Test
  void sessionsSurviveRestartsBetweenEveryBatch() {
    StreamTest.of(session, SESSIONS).restartAfterEveryAction().run(
        addData("s", row("a", 1, 0), row("a", 1, 3), row("b", 1, 1)),
        addData("s", row("a", 1, 20)),
        addData("s", row("b", 1, 30)),
        addData("s", row("a", 10, 27)),
        addData("s", row("a", 100, 25)),
        addData("s", row("c", 0, 50)),
        checkAnswer(Row.of(at(0), at(8), "a", 2L, 2L), Row.of(at(1), at(6), "b", 1L, 1L),
            Row.of(at(20), at(32), "a", 3L, 111L), Row.of(at(30), at(35), "b", 1L, 1L)));
  }

  @Test
  void sessionsRefuseCompleteModeAsSparkDoes() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql(SESSIONS).writeStream()
        .format("memory").queryName("x").outputMode(OutputMode.COMPLETE).start());
    assertTrue(e.getMessage().contains("Complete output mode is not supported for session windows"), e.getMessage());
  }

  private static final String TOP2 = "SELECT window_start, k, c, rn FROM ("
      + "SELECT window_start, window_end, k, c, %s() OVER (PARTITION BY window_start, window_end ORDER BY c DESC) "
      + "AS rn FROM (SELECT window_start, window_end, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), "
      + "INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k)) WHERE rn <= 2";

  @Test
  void topNPerWindowWithRowNumber() {
    StreamTest.of(session, String.format(TOP2, "ROW_NUMBER")).run(
        addData("s", row("a", 1, 1), row("a", 1, 2), row("a", 1, 3), row("b", 1, 4), row("b", 1, 5),
            row("c", 1, 6), row("d", 1, 12)),
        checkNewAnswer(),
        addData("s", row("x", 1, 40)),
        checkNewAnswer(Row.of(at(0), "a", 3L, 1L), Row.of(at(0), "b", 2L, 2L), Row.of(at(10), "d", 1L, 1L)));
  }

  @Test
  void topNWithRankKeepsTies() {
    StreamTest.of(session, String.format(TOP2, "RANK")).restartAfterEveryAction().run(
        addData("s", row("a", 1, 1), row("a", 1, 2), row("b", 1, 4), row("c", 1, 6), row("d", 1, 7)),
        addData("s", row("x", 1, 40)),
        checkNewAnswer(Row.of(at(0), "a", 2L, 1L), Row.of(at(0), "b", 1L, 2L), Row.of(at(0), "c", 1L, 2L),
            Row.of(at(0), "d", 1L, 2L)));
  }

  @Test
  void aLargerWindowOverTheWindowTimeOfASmallerOne() {
    StreamTest.of(session, "WITH w AS (SELECT window_start AS ws, window_time AS wt, k, COUNT(*) AS c "
        + "FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, "
        + "window_time, k) SELECT window_start, window_end, SUM(c) AS total, COUNT(*) AS n "
        + "FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(wt), INTERVAL '30' SECOND)) GROUP BY window_start, window_end")
        .restartAfterEveryAction().run(
        addData("s", row("a", 1, 1), row("b", 1, 2), row("a", 1, 15)),
        addData("s", row("a", 1, 29), row("c", 1, 31)),
        checkNewAnswer(),
        // The watermark reaches 65 s: the inner windows up to [30 s, 40 s) are final, and so are the outer
        // windows [0 s, 30 s) (four inner rows) and [30 s, 60 s) (one).
        addData("s", row("a", 1, 70)),
        checkNewAnswer(Row.of(at(0), at(30), 4L, 4L), Row.of(at(30), at(60), 1L, 1L)),
        addData("s", row("a", 1, 100)),
        checkNewAnswer(Row.of(at(60), at(90), 1L, 1L)));
  }

  @Test
  void anAggregationOverTheSameWindowsOfAnInnerOne() {
    StreamTest.of(session, "SELECT window_start, MAX(c) AS top, COUNT(*) AS keys FROM (SELECT window_start, "
        + "window_end, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) "
        + "GROUP BY window_start, window_end, k) GROUP BY window_start, window_end").outputMode(OutputMode.UPDATE)
        .run(
        addData("s", row("a", 1, 1), row("b", 1, 2), row("a", 1, 5)),
        // The inner aggregation feeds another one, so it emits only closed windows, even in update mode.
        checkNewAnswer(),
        addData("s", row("a", 1, 30)),
        checkNewAnswer(Row.of(at(0), 2L, 2L)));
  }
}
