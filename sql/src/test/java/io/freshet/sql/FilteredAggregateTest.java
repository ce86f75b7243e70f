package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.row;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Aggregates with {@code FILTER (WHERE ...)} where the golden queries cannot look: over a changelog (rows taken
 * back out only from the aggregates whose filter let them in), in EXPLAIN, and what is refused.
 */
class FilteredAggregateTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void filteredAggregatesOverRunningTotalsTakeBackOnlyTheRowsTheyCounted() {
    // The inner totals change; the outer aggregates take each key's old row back out and add its new one.
    String query = "SELECT COUNT(*) AS keys, COUNT(*) FILTER (WHERE n >= 2) AS busy, "
        + "SUM(total) FILTER (WHERE n >= 2) AS busy_total, AVG(total) FILTER (WHERE total < 10) AS small_mean "
        + "FROM (SELECT k, COUNT(*) AS n, SUM(v) FILTER (WHERE v > 0) AS total FROM s GROUP BY k)";
    StreamTest.of(session, query).outputMode(OutputMode.UPDATE).run(
        addData("s", row("a", 1, 1), row("b", 2, 2)),
        checkAnswer(Row.of(2L, 0L, null, 1L)),
        addData("s", row("a", 3, 3)),
        checkAnswer(Row.of(2L, 1L, 4L, 3L)),
        addData("s", row("b", -5, 4), row("a", 20, 5)),
        checkAnswer(Row.of(2L, 2L, 26L, 2L)));
  }

  @Test
  void explainShowsEachFilter() {
    String plan = ((StatementResult.Text) session.execute("EXPLAIN SELECT k, COUNT(*) FILTER (WHERE v > 1) AS c "
        + "FROM s GROUP BY k", 1, 1)).text();
    assertTrue(plan.contains("COUNT(*) FILTER (WHERE $"), plan);
  }

  @Test
  void aFilterOverSessionsMayNotReadTheWindowColumns() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SELECT k, "
        + "COUNT(*) FILTER (WHERE window_start > TIMESTAMP '2026-01-01 00:00:00') AS c FROM TABLE(SESSION(TABLE s "
        + "PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, k").plan());
    assertTrue(e.getMessage().contains("FILTER (WHERE ...) of an aggregate over a SESSION window may not read"),
        e.getMessage());
  }
}
