package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.at;
import static io.freshet.sql.WindowAggregationTest.dropped;
import static io.freshet.sql.WindowAggregationTest.row;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queries that read views: a view is planned in the query's place, so it filters and projects like a subquery,
 * keeps its source's event time for windows, and works under INSERT INTO, EXPLAIN, joins, unions, CTEs and other
 * views.
 */
class ViewQueryTest {
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
  void aViewFiltersAndProjectsItsStream() {
    session.sql("CREATE VIEW big AS SELECT k, v * 10 AS v10 FROM s WHERE v > 1");
    StreamTest.of(session, "SELECT k, v10 FROM big WHERE k <> 'x'").run(
        addData("s", row("a", 1, 1), row("b", 2, 2), row("x", 3, 3)),
        checkNewAnswer(Row.of("b", 20L)),
        addData("s", row("c", 5, 4)),
        checkAnswer(Row.of("b", 20L), Row.of("c", 50L)));
  }

  @Test
  void aWindowOverAViewUsesTheEventTimeOfItsStream() {
    session.sql("CREATE VIEW positive AS SELECT ts, k FROM s WHERE v > 0");
    String query = "SELECT window_start, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE positive, DESCRIPTOR(ts), "
        + "INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";
    StreamTest.of(session, query).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("a", 0, 2), row("b", 1, 3)),
        checkNewAnswer(),
        // The watermark passes 10 s: the first window closes; the row at 4 s is then late and dropped.
        addData("s", row("a", 1, 16)),
        checkNewAnswer(Row.of(at(0), "a", 1L), Row.of(at(0), "b", 1L)),
        addData("s", row("a", 1, 4)),
        checkNewAnswer(),
        dropped(1));
  }

  @Test
  void aViewOverAViewWithColumnNamesReadsAnyCase() {
    session.sql("CREATE VIEW Named (key, amount, t) AS SELECT k, v, ts FROM s");
    session.sql("CREATE TEMPORARY VIEW doubled AS SELECT key, amount * 2 AS twice, t FROM NAMED");
    String query = "SELECT window_end, SUM(twice) AS total FROM TABLE(TUMBLE(TABLE DOUBLED, DESCRIPTOR(t), "
        + "INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
    StreamTest.of(session, query).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("b", 2, 9)),
        addData("s", row("a", 1, 30)),
        checkAnswer(Row.of(at(10), 6L)));
  }

  @Test
  void anInsertReadsAView() {
    session.sql("CREATE VIEW big AS SELECT k, v FROM s WHERE v > 1");
    session.sql("CREATE TABLE out WITH ('connector' = 'memory')");
    String id = (String) session.sql("INSERT INTO out SELECT k, v FROM big").collectAsList().get(0).get(1);
    StreamingQuery query = session.streams().get(UUID.fromString(id));
    try {
      session.memoryStream("s").addData(List.of(row("a", 1, 1), row("b", 2, 2)));
      query.processAllAvailable();
      assertEquals(List.of(Row.of("b", 2L)), session.memoryTableRows("out"));
      String refused = assertThrows(FreshetException.class, () -> session.sql("DROP STREAM s")).getMessage();
      assertTrue(refused.contains("running query out"), refused);
      // Dropping the view leaves the running query as it was planned.
      session.sql("DROP VIEW big");
      session.memoryStream("s").addData(List.of(row("c", 3, 3)));
      query.processAllAvailable();
      assertTrue(query.isActive());
      assertEquals(List.of(Row.of("b", 2L), Row.of("c", 3L)), session.memoryTableRows("out"));
    } finally {
      query.stop();
    }
  }

  @Test
  void explainShowsTheViewsStream() {
    session.sql("CREATE VIEW big AS SELECT k, v FROM s WHERE v > 1");
    String plan = String.join("\n", session.sql("EXPLAIN SELECT k FROM big").collectAsList().stream()
        .map(r -> (String) r.get(0)).toList());
    assertTrue(plan.contains("Calc(filter=[GT($1, 1)], project=[$0])"), plan);
    assertTrue(plan.contains("Scan(s, unbounded, watermark ts - INTERVAL '5' SECOND)"), plan);
    assertFalse(plan.contains("big"), plan);
  }

  @Test
  void aViewJoinsAndUnionsWithStreams() {
    session.sql("CREATE STREAM r (k VARCHAR, w BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
    session.sql("CREATE VIEW left_side AS SELECT k, v, ts FROM s WHERE v > 0");
    StreamTest.of(session, "SELECT l.k, l.v, r.w FROM left_side l JOIN r ON l.k = r.k "
        + "AND r.ts BETWEEN l.ts AND l.ts + INTERVAL '2' SECOND").run(
        addData("s", row("a", 1, 1), row("b", 0, 1)),
        addData("r", row("a", 7, 2), row("b", 8, 2), row("a", 9, 10)),
        checkAnswer(Row.of("a", 1L, 7L)));
    StreamTest.of(session, "SELECT k, v FROM left_side UNION ALL SELECT k, w FROM r").run(
        addData("s", row("c", 3, 20)),
        addData("r", row("d", 4, 20)),
        checkAnswer(Row.of("a", 1L), Row.of("c", 3L), Row.of("a", 7L), Row.of("b", 8L), Row.of("a", 9L),
            Row.of("d", 4L)));
  }

  @Test
  void aViewJoinedWithItself() {
    session.sql("CREATE VIEW bids AS SELECT k, v, ts FROM s");
    StreamTest.of(session, "SELECT x.k, x.v, y.v AS next_v FROM bids x JOIN bids y ON x.k = y.k AND y.ts > x.ts "
        + "AND y.ts <= x.ts + INTERVAL '2' SECOND").run(
        addData("s", row("a", 1, 1), row("a", 2, 2), row("a", 3, 5)),
        checkAnswer(Row.of("a", 1L, 2L)));
  }

  @Test
  void subqueriesAndCtesReadViewsAndACteHidesAViewOfItsName() {
    session.sql("CREATE VIEW big AS SELECT k, v FROM s WHERE v > 1");
    session.sql("CREATE VIEW with_cte AS WITH b AS (SELECT k, v FROM big) SELECT k FROM b WHERE v < 100");
    StreamTest.of(session, "WITH big AS (SELECT k, v FROM s WHERE v = 1) SELECT t.k, 'cte' AS f FROM (SELECT k FROM "
        + "big) t UNION ALL SELECT k, 'view' FROM with_cte").run(
        addData("s", row("a", 1, 1), row("b", 5, 2), row("c", 500, 3)),
        checkAnswer(Row.of("a", "cte"), Row.of("b", "view")));
  }

  @Test
  void aSessionWindowInAView() {
    session.sql("CREATE VIEW sessions AS SELECT window_start, window_end, k, COUNT(*) AS c FROM TABLE(SESSION("
        + "TABLE s PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, k");
    StreamTest.of(session, "SELECT k, c FROM sessions WHERE c > 1").outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("a", 1, 3), row("b", 1, 2)),
        addData("s", row("z", 1, 40)),
        checkAnswer(Row.of("a", 2L)));
  }

  @Test
  void theJavaApiReadsAViewAsATable() {
    session.sql("CREATE VIEW big AS SELECT k FROM s WHERE v > 1");
    assertEquals(List.of("k"), session.table("BIG").columns());
  }
}
