package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
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
}
