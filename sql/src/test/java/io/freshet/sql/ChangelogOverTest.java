package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OVER aggregations over a changelog: the result is the OVER aggregation of the input table as it stands after
 * each batch, and each batch emits only the rows whose frame it changed.
 */
class ChangelogOverTest {
  /** Per group, each key's running total with the sum of its own and the one before it, in order of total. */
  private static final String PAIRS = "SELECT g, k, total, SUM(total) OVER (PARTITION BY g ORDER BY total ROWS "
      + "BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair FROM (SELECT g, k, SUM(v) AS total FROM s GROUP BY g, k)";

  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").create();
    session.sql("CREATE STREAM s (g VARCHAR, k VARCHAR, v BIGINT) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void eachBatchEmitsTheRowsWhoseFrameChanged() {
    assertEquals(OutputMode.UPDATE, session.sql(PAIRS).plan().defaultMode());
    session.sql("SET 'changelog-mode' = 'true'");
    StreamTest.of(session, PAIRS).outputMode(OutputMode.UPDATE).run(
        addData("s", Row.of("x", "a", 1L), Row.of("x", "b", 5L)),
        checkNewAnswer(Row.of("+I", "x", "a", 1L, 1L), Row.of("+I", "x", "b", 5L, 6L)),
        // c comes between a and b: b's frame now holds c instead of a; a's is as it was.
        addData("s", Row.of("x", "c", 3L)),
        checkNewAnswer(Row.of("+I", "x", "c", 3L, 4L), Row.of("-U", "x", "b", 5L, 6L),
            Row.of("+U", "x", "b", 5L, 8L)),
        // a's total grows past b's: a's row goes (its old total is taken back) and comes again last.
        addData("s", Row.of("x", "a", 9L)),
        checkNewAnswer(Row.of("-D", "x", "a", 1L, 1L), Row.of("-U", "x", "c", 3L, 4L),
            Row.of("+U", "x", "c", 3L, 3L), Row.of("+I", "x", "a", 10L, 15L)),
        // Another group changes nothing of x.
        addData("s", Row.of("y", "a", 2L)),
        checkNewAnswer(Row.of("+I", "y", "a", 2L, 2L)));
  }

  /** The rows are hashed on PARTITION BY: the state moves with them when the number of partitions changes. */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void restartsInAnotherNumberOfPartitionsGoOnWithTheTable(String store) {
    session.conf().set("state-store", store);
    session.conf().set("parallelism", "3");
    StreamTest.of(session, PAIRS).outputMode(OutputMode.UPDATE).run(
        addData("s", Row.of("x", "a", 1L), Row.of("x", "b", 5L), Row.of("y", "a", 4L), Row.of("z", "q", 7L)),
        checkAnswer(Row.of("x", "a", 1L, 1L), Row.of("x", "b", 5L, 6L), Row.of("y", "a", 4L, 4L),
            Row.of("z", "q", 7L, 7L)),
        stopStream(),
        StreamTest.parallelism(session, 1),
        startStream(),
        addData("s", Row.of("x", "c", 3L), Row.of("y", "b", 1L)),
        checkAnswer(Row.of("x", "a", 1L, 1L), Row.of("x", "c", 3L, 4L), Row.of("x", "b", 5L, 8L),
            Row.of("y", "b", 1L, 1L), Row.of("y", "a", 4L, 5L), Row.of("z", "q", 7L, 7L)),
        stopStream(),
        StreamTest.parallelism(session, 2),
        startStream(),
        // a's total falls to 0, still first: c's frame now adds 0 to its 3.
        addData("s", Row.of("x", "a", -1L), Row.of("z", "q", -7L)),
        checkAnswer(Row.of("x", "a", 0L, 0L), Row.of("x", "c", 3L, 3L), Row.of("x", "b", 5L, 8L),
            Row.of("y", "b", 1L, 1L), Row.of("y", "a", 4L, 5L), Row.of("z", "q", 0L, 0L)));
  }

  @Test
  void explainShowsTheOverAggregationThatKeepsUpToDate() {
    String explained = ((StatementResult.Text) session.execute("EXPLAIN " + PAIRS, 1, 1)).text();
    assertTrue(explained.contains("ChangelogOverAggregate(partition=[0], order=$2, ROWS BETWEEN 1 PRECEDING"),
        explained);
  }

  @Test
  void aRangeFrameOfAFixedReachNeedsATimeOrIntegerOrder() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SELECT g, k, COUNT(*) OVER "
        + "(PARTITION BY g ORDER BY t RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM (SELECT g, k, "
        + "SUM(CAST(v AS DOUBLE)) AS t FROM s GROUP BY g, k)").writeStream().format("memory").queryName("r").start());
    assertTrue(e.getMessage().contains("needs ORDER BY a TIMESTAMP or an integer column, not DOUBLE"),
        e.getMessage());
  }
}
