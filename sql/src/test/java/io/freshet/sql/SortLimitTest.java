package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.at;
import static io.freshet.sql.WindowAggregationTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ORDER BY and LIMIT on streams: the order of the rows a sink receives (the golden files compare sorted rows), a
 * LIMIT that ends the query and stays ended after a restart, OFFSET, and what is refused.
 */
class SortLimitTest {
  private FreshetSession session;

  @TempDir
  Path checkpoints;

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

  private StreamingQuery start(String sql, OutputMode mode, String checkpoint) {
    var writer = session.sql(sql).writeStream().format("memory").queryName("out")
        .option("checkpointLocation", checkpoints.resolve(checkpoint).toString());
    if (mode != null) {
      writer.outputMode(mode);
    }
    return writer.start();
  }

  @Test
  void orderByWindowStartEmitsTheWindowsOfEachBatchInOrder() {
    StreamingQuery query = start("SELECT window_start, k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k ORDER BY window_start, n DESC, k", null, "w");
    try {
      // Three windows close in the first batch, their rows read from three partitions.
      session.memoryStream("s").addData(List.of(row("z", 1, 21), row("a", 1, 1), row("y", 1, 12), row("b", 1, 2),
          row("b", 1, 3), row("c", 1, 14), row("c", 1, 15), row("q", 1, 36)));
      query.processAllAvailable();
      session.memoryStream("s").addData(List.of(row("a", 1, 52)));
      query.processAllAvailable();
    } finally {
      query.stop();
    }
    assertEquals(List.of(Row.of(at(0), "b", 2L), Row.of(at(0), "a", 1L), Row.of(at(10), "c", 2L),
        Row.of(at(10), "y", 1L), Row.of(at(20), "z", 1L), Row.of(at(30), "q", 1L)),
        session.memoryTableRows("out"));
  }

  @Test
  void limitEndsTheQueryAndARestartEmitsNoMore() {
    String sql = "SELECT k, v FROM s WHERE v > 0 FETCH FIRST 3 ROWS ONLY";
    StreamingQuery query = start(sql, null, "limit");
    session.memoryStream("s").addData(List.of(row("a", 1, 1), row("b", 0, 2)));
    query.processAllAvailable();
    assertTrue(query.isActive());
    session.memoryStream("s").addData(List.of(row("c", 2, 3), row("d", 3, 4), row("e", 4, 5)));
    assertTrue(query.awaitTermination(30_000), "the query ends once it emitted 3 rows");
    assertFalse(query.isActive());
    assertEquals(null, query.exception());
    assertEquals(3, session.memoryTableRows("out").size());
    assertEquals(Row.of("a", 1L), session.memoryTableRows("out").get(0));

    session.memoryStream("s").addData(List.of(row("f", 5, 6)));
    StreamingQuery again = start(sql, null, "limit");
    assertTrue(again.awaitTermination(30_000), "a restart finds the result complete and ends");
    assertEquals(null, again.exception());
    assertEquals(3, session.memoryTableRows("out").size());
  }

  @Test
  void offsetSkipsTheFirstRowsOfTheStream() {
    StreamingQuery query = start("SELECT k FROM s LIMIT 2 OFFSET 1", null, "offset");
    session.memoryStream("s").addData(List.of(row("a", 1, 1)));
    query.processAllAvailable();
    session.memoryStream("s").addData(List.of(row("b", 1, 2)));
    query.processAllAvailable();
    session.memoryStream("s").addData(List.of(row("c", 1, 3), row("d", 1, 4)));
    assertTrue(query.awaitTermination(30_000));
    assertEquals(List.of(Row.of("b"), Row.of("c")), session.memoryTableRows("out"));
  }

  @Test
  void completeModeSortsAndLimitsTheWholeResultEachBatch() {
    StreamingQuery query = start("SELECT k, SUM(v) AS total FROM s GROUP BY k ORDER BY total DESC, k LIMIT 3",
        OutputMode.COMPLETE, "complete");
    try {
      session.memoryStream("s").addData(List.of(row("a", 1, 1), row("b", 5, 2), row("c", 2, 3), row("d", 2, 3)));
      query.processAllAvailable();
      assertEquals(List.of(Row.of("b", 5L), Row.of("c", 2L), Row.of("d", 2L)), session.memoryTableRows("out"));
      session.memoryStream("s").addData(List.of(row("a", 10, 4), row("d", 1, 5)));
      query.processAllAvailable();
      assertTrue(query.isActive(), "a LIMIT of the complete result does not end the query");
      assertEquals(List.of(Row.of("a", 11L), Row.of("b", 5L), Row.of("d", 3L)), session.memoryTableRows("out"));
    } finally {
      query.stop();
    }
  }

  @Test
  void aBoundedQueryCollectsItsWholeResultSorted() {
    session.createDataFrame(List.of(Row.of("a", 1L), Row.of("b", 5L), Row.of("c", 2L), Row.of("a", 9L),
        Row.of("c", 1L)), new RowSchema(List.of(new Column("k", TypeKind.VARCHAR, true),
        new Column("v", TypeKind.BIGINT, true)))).createOrReplaceTempView("t");
    assertEquals(List.of(Row.of("a", 10L), Row.of("b", 5L)),
        session.sql("SELECT k, SUM(v) AS total FROM t GROUP BY k ORDER BY total DESC LIMIT 2").collectAsList());
  }

  @Test
  void orderByOtherThanAscendingEventTimeIsRefusedOutsideCompleteMode() {
    String descending = assertThrows(FreshetException.class, () -> start("SELECT k, ts FROM s ORDER BY ts DESC",
        null, "d")).getMessage();
    assertTrue(descending.contains("sorts event time backwards"), descending);
    String changing = assertThrows(FreshetException.class, () -> start("SELECT k, COUNT(*) AS n FROM s GROUP BY k "
        + "ORDER BY n", OutputMode.UPDATE, "u")).getMessage();
    assertTrue(changing.contains("Use complete output mode"), changing);
    String column = assertThrows(FreshetException.class, () -> start("SELECT k, v FROM s ORDER BY k", null, "c"))
        .getMessage();
    assertTrue(column.contains("ROW_NUMBER() OVER"), column);
  }
}
