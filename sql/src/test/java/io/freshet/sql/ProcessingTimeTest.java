package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.execute;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.engine.ManualClock;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Processing time: {@code PROCTIME()} gives the micro-batch's time on the session's clock (a manual one here, which
 * the tests move), and TUMBLE, HOP and CUMULATE over it close their windows when that clock passes their end,
 * whatever the watermark, with new data or without.
 */
class ProcessingTimeTest {
  private static final String TUMBLE = "SELECT window_start, window_end, k, COUNT(*) AS c, SUM(v) AS s "
      + "FROM TABLE(TUMBLE(TABLE sp, DESCRIPTOR(p), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";

  private final ManualClock clock = new ManualClock(millis(0));
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[1]").clock(clock).create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT) WITH ('connector' = 'memory')");
    session.sql("CREATE VIEW sp AS SELECT k, v, PROCTIME() AS p FROM s");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  static LocalDateTime at(double seconds) {
    return LocalDateTime.of(2026, 1, 1, 0, 0).plusNanos((long) (seconds * 1e9));
  }

  static long millis(double seconds) {
    return at(seconds).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private String refused(String sql) {
    return assertThrows(FreshetException.class, () -> session.sql(sql).explain()).getMessage();
  }

  private StreamTest.Action clockAt(double seconds) {
    return execute("clock -> " + seconds + " s", q -> clock.setTime(millis(seconds)));
  }

  @Test
  void proctimeIsTheProcessingTimeOfTheRowsBatch() {
    StreamTest.of(session, "SELECT k, PROCTIME() AS p, v FROM s WHERE PROCTIME() >= TIMESTAMP '2026-01-01 00:00:00'")
        .run(
        addData("s", Row.of("a", 1L), Row.of("b", 2L)),
        checkNewAnswer(Row.of("a", at(0), 1L), Row.of("b", at(0), 2L)),
        clockAt(2.5),
        addData("s", Row.of("c", 3L)),
        checkNewAnswer(Row.of("c", at(2.5), 3L)));
  }

  @Test
  void aBatchRunAgainAfterAFailureKeepsItsProcessingTime() {
    // Stopped and started after every action: each batch's time is in its offset log entry.
    StreamTest.of(session, "SELECT k, p FROM sp").restartAfterEveryAction().run(
        addData("s", Row.of("a", 1L)),
        clockAt(1),
        addData("s", Row.of("b", 2L)),
        checkAnswer(Row.of("a", at(0)), Row.of("b", at(1))));
  }

  @Test
  void tumblingWindowsInAppendModeCloseWhenTheClockPassesTheirEndWithOrWithoutData() {
    String plan = session.sql(TUMBLE).explain();
    assertTrue(plan.contains("Tumble(size=10000 ms, time=$2, carry=[0, 1]) [processing time]"), plan);
    StreamTest.of(session, TUMBLE).outputMode(OutputMode.APPEND).run(
        clockAt(1),
        addData("s", Row.of("a", 1L), Row.of("b", 2L)),
        checkNewAnswer(),
        clockAt(4),
        addData("s", Row.of("a", 3L)),
        checkNewAnswer(),
        // No new data: the clock passing 10 s closes [0 s, 10 s) all the same.
        clockAt(12),
        checkNewAnswer(Row.of(at(0), at(10), "a", 2L, 4L), Row.of(at(0), at(10), "b", 1L, 2L)),
        addData("s", Row.of("a", 5L)),
        checkNewAnswer(),
        // A batch with data at 25 s closes [10 s, 20 s); its own rows are in [20 s, 30 s).
        clockAt(25),
        addData("s", Row.of("c", 1L)),
        checkNewAnswer(Row.of(at(10), at(20), "a", 1L, 5L)),
        clockAt(30),
        checkNewAnswer(Row.of(at(20), at(30), "c", 1L, 1L)),
        // An idle query with no open window stays quiet.
        clockAt(100),
        checkNewAnswer());
  }

  @Test
  void tumblingWindowsInUpdateModeUpdateThenCloseAsTheClockMoves() {
    // The memory table holds the result by its key (window and k): an update replaces the window's row.
    StreamTest.of(session, TUMBLE).outputMode(OutputMode.UPDATE).run(
        clockAt(1),
        addData("s", Row.of("a", 1L)),
        checkAnswer(Row.of(at(0), at(10), "a", 1L, 1L)),
        addData("s", Row.of("a", 2L), Row.of("b", 5L)),
        checkAnswer(Row.of(at(0), at(10), "a", 2L, 3L), Row.of(at(0), at(10), "b", 1L, 5L)),
        clockAt(11),
        addData("s", Row.of("a", 7L)),
        checkAnswer(Row.of(at(0), at(10), "a", 2L, 3L), Row.of(at(0), at(10), "b", 1L, 5L),
            Row.of(at(10), at(20), "a", 1L, 7L)));
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2})
  void singleRowBatchesWithARestartAfterEveryActionKeepOpenWindows(int parallelism) {
    session.conf().set("parallelism", Integer.toString(parallelism));
    StreamTest.of(session, TUMBLE).restartAfterEveryAction().run(
        clockAt(1),
        addData("s", Row.of("a", 1L)),
        addData("s", Row.of("b", 2L)),
        clockAt(9.999),
        addData("s", Row.of("a", 3L)),
        checkNewAnswer(),
        clockAt(10),
        addData("s", Row.of("a", 4L)),
        checkNewAnswer(Row.of(at(0), at(10), "a", 2L, 4L), Row.of(at(0), at(10), "b", 1L, 2L)),
        stopStream(),
        clockAt(15),
        addData("s", Row.of("b", 6L)),
        startStream(),
        clockAt(21),
        checkNewAnswer(Row.of(at(10), at(20), "a", 1L, 4L), Row.of(at(10), at(20), "b", 1L, 6L)));
  }

  @Test
  void hopAndCumulateOverProcessingTime() {
    StreamTest.of(session, "SELECT window_start, window_end, COUNT(*) AS c FROM TABLE(HOP(TABLE sp, DESCRIPTOR(p), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end").run(
        clockAt(3),
        addData("s", Row.of("a", 1L)),
        checkNewAnswer(),
        clockAt(7),
        addData("s", Row.of("a", 1L)),
        checkNewAnswer(Row.of(at(-5), at(5), 1L)),
        clockAt(16),
        checkNewAnswer(Row.of(at(0), at(10), 2L), Row.of(at(5), at(15), 1L)));
    session.sql("CREATE STREAM s2 (k VARCHAR, v BIGINT) WITH ('connector' = 'memory')");
    session.sql("CREATE VIEW s2p AS SELECT *, PROCTIME() AS p FROM s2");
    StreamTest.of(session, "SELECT window_start, window_end, SUM(v) AS s FROM TABLE(CUMULATE(TABLE s2p, "
        + "DESCRIPTOR(p), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end").run(
        clockAt(21),
        addData("s2", Row.of("a", 1L)),
        checkNewAnswer(),
        clockAt(26),
        addData("s2", Row.of("a", 2L)),
        checkNewAnswer(Row.of(at(20), at(25), 1L)),
        clockAt(30),
        checkNewAnswer(Row.of(at(20), at(30), 3L)));
  }

  @Test
  void aStreamMayDeclareAProcessingTimeColumnAsFlinkDoes() {
    session.sql("CREATE STREAM t (k VARCHAR, p_time AS PROCTIME(), v BIGINT) WITH ('connector' = 'memory')");
    StreamTest.of(session, "SELECT * FROM t").run(
        clockAt(3),
        addData("t", Row.of("a", 1L)),
        checkNewAnswer(Row.of("a", at(3), 1L)));
    StreamTest.of(session, "SELECT k, COUNT(*) AS c, window_end FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(p_time), "
        + "INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end").run(
        addData("t", Row.of("b", 2L)),
        checkNewAnswer(),
        clockAt(10),
        checkNewAnswer(Row.of("a", 1L, at(10)), Row.of("b", 1L, at(10))));
    String describe = session.sql("DESCRIBE t").collectAsList().toString();
    assertTrue(describe.contains("[p_time,TIMESTAMP,NO,,AS PROCTIME()]"), describe);
  }

  @Test
  void misuseIsRefusedWithWhatToWrite() {
    assertTrue(refused("CREATE STREAM bad (v BIGINT, w AS v + 1) WITH ('connector' = 'memory')")
        .contains("computed column 'w' AS v + 1: a computed column is PROCTIME() for now"));
    assertTrue(refused("CREATE STREAM bad (ts TIMESTAMP(3), p AS PROCTIME(), WATERMARK FOR p AS p) "
        + "WITH ('connector' = 'memory')").contains("the watermark names column 'p', which is PROCTIME(), a "
        + "processing time: processing time needs no watermark"));
    assertTrue(refused("CREATE STREAM bad (ts TIMESTAMP(3), WATERMARK FOR ts AS PROCTIME()) "
        + "WITH ('connector' = 'memory')").contains("a watermark cannot read PROCTIME()"));
    String windows = "(SELECT k, window_end, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE sp, DESCRIPTOR(p), "
        + "INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end)";
    assertTrue(refused("SELECT * FROM " + windows + " a JOIN " + windows + " b ON a.k = b.k "
        + "AND a.window_end = b.window_end").contains("A window join of processing-time windows is not supported"));
    // Plain value after an aggregation that holds rows past their batch: no longer a time to window by.
    assertTrue(refused("WITH latest AS (SELECT k, MAX(p) AS p FROM sp GROUP BY k) SELECT window_start, COUNT(*) "
        + "FROM TABLE(TUMBLE(TABLE latest, DESCRIPTOR(p), INTERVAL '10' SECOND)) GROUP BY window_start, window_end")
        .contains("needs an event-time column"));
    String message = assertThrows(FreshetException.class, () -> session.sql("SELECT window_start, COUNT(*) AS c "
        + "FROM TABLE(SESSION(TABLE sp PARTITION BY k, DESCRIPTOR(p), INTERVAL '5' SECOND)) "
        + "GROUP BY window_start, window_end").explain()).getMessage();
    assertTrue(message.contains("SESSION over DESCRIPTOR(p), a processing time, is not supported"), message);
  }
}
