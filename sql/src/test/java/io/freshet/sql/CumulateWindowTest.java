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
import io.freshet.streaming.StreamingQuery;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CUMULATE windows: when each window is emitted, update mode, a Top-N directly over the window's rows, what
 * EXPLAIN and EXPLAIN UPGRADE call it, and what is refused.
 */
class CumulateWindowTest {
  /** Periods of 10 s, windows ending 5 s and 10 s after the period's start. */
  private static final String COUNTS = "SELECT window_start, window_end, COUNT(*) AS c, SUM(v) AS s "
      + "FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) "
      + "GROUP BY window_start, window_end";

  private FreshetSession session;

  @TempDir
  Path checkpoints;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[3]").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void appendModeEmitsEachWindowOnceWhenTheWatermarkPassesItsOwnEnd() {
    StreamTest.of(session, COUNTS).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("a", 2, 6)),
        checkNewAnswer(),
        // The watermark reaches 5 s: [0 s, 5 s) is complete, [0 s, 10 s) is not.
        addData("s", row("a", 4, 7), row("a", 8, 4)),
        checkNewAnswer(Row.of(at(0), at(5), 2L, 9L)),
        addData("s", row("a", 16, 12)),
        checkNewAnswer(Row.of(at(0), at(10), 4L, 15L)),
        // 4 s is late (the watermark is 10 s); 14 s counts in [10 s, 15 s) and [10 s, 20 s).
        addData("s", row("a", 100, 4), row("a", 32, 14), row("a", 64, 19)),
        checkNewAnswer(Row.of(at(10), at(15), 2L, 48L)),
        dropped(1),
        addData("s", row("a", 1, 40)),
        checkNewAnswer(Row.of(at(10), at(20), 3L, 112L)));
  }

  @Test
  void updateModeGivesEachWindowsRowAsItChanges() {
    StreamTest.of(session, COUNTS).outputMode(OutputMode.UPDATE).run(
        addData("s", row("a", 1, 1), row("a", 2, 6)),
        checkAnswer(Row.of(at(0), at(5), 1L, 1L), Row.of(at(0), at(10), 2L, 3L)),
        addData("s", row("a", 4, 4), row("a", 8, 11)),
        checkAnswer(Row.of(at(0), at(5), 2L, 5L), Row.of(at(0), at(10), 3L, 7L), Row.of(at(10), at(15), 1L, 8L),
            Row.of(at(10), at(20), 1L, 8L)));
  }

  @Test
  void aTopNOverTheWindowsRowsRanksEachWindowAtItsOwnEnd() {
    String top = "SELECT window_start, window_end, k, v FROM (SELECT window_start, window_end, k, v, ROW_NUMBER() "
        + "OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS r FROM TABLE(CUMULATE(TABLE s, "
        + "DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))) WHERE r <= 1";
    StreamTest.of(session, top).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 3, 1), row("b", 5, 4), row("c", 9, 6)),
        checkNewAnswer(),
        addData("s", row("d", 1, 8)),
        checkNewAnswer(Row.of(at(0), at(5), "b", 5L)),
        addData("s", row("e", 1, 12)),
        checkNewAnswer(Row.of(at(0), at(10), "c", 9L)));
    String plan = ((StatementResult.Text) session.execute("EXPLAIN " + top, 1, 1)).text();
    assertTrue(plan.contains("Cumulate(size=10000, step=5000 ms"), plan);
  }

  @Test
  void aSizeThatIsNoMultipleOfTheStepIsRefused() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SELECT window_start, COUNT(*) "
        + "FROM TABLE(CUMULATE(TABLE s, DESCRIPTOR(ts), INTERVAL '4' SECOND, INTERVAL '10' SECOND)) "
        + "GROUP BY window_start, window_end").plan());
    assertTrue(e.getMessage().contains("CUMULATE's size (10000 ms) must be a whole multiple of its step (4000 ms)"),
        e.getMessage());
  }

  @Test
  void explainUpgradeTellsCumulateFromHopOfTheSameSizes() {
    session.sql("SET 'checkpoint-location' = '" + checkpoints + "'");
    session.sql("CREATE TABLE out WITH ('connector' = 'memory')");
    String hop = COUNTS.replace("CUMULATE(", "HOP(");
    StreamingQuery q = ((StatementResult.Started) session.execute("INSERT INTO out " + hop, 1, 1)).query();
    session.memoryStream("s").addData(row("a", 1, 1));
    q.processAllAvailable();
    q.stop();
    String explained = ((StatementResult.Text) session.execute("EXPLAIN UPGRADE INSERT INTO out " + COUNTS, 1, 1))
        .text();
    assertTrue(explained.contains("result: refused") && explained.contains("was 'HOP', now 'CUMULATE'"),
        explained);
  }
}
