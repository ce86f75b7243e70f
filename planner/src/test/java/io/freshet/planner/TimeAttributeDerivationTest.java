package io.freshet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.freshet.planner.rel.StreamAggregate;
import io.freshet.planner.rel.StreamCalc;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamSessionAggregate;
import io.freshet.planner.rel.StreamSplit;
import io.freshet.planner.rel.StreamTableScan;
import io.freshet.planner.rel.StreamWindowAssign;
import io.freshet.planner.rel.StreamWindowRank;
import io.freshet.planner.rel.TimeAttribute;
import io.freshet.planner.rel.TimeAttribute.Kind;
import io.freshet.planner.rel.TimeAttributes;
import org.apache.calcite.rel.RelNode;
import org.junit.jupiter.api.Test;

/** The time attributes that each stream node derives from its input, over the catalog of the golden plans. */
class TimeAttributeDerivationTest {

  private static StreamRel convert(String sql) {
    return new QueryPlanner(GoldenPlanTest.TABLES).toStream(GoldenPlanTest.parse(sql, false));
  }

  private static StreamRel input(RelNode node) {
    return (StreamRel) node.getInput(0);
  }

  @Test
  void theEventTimeColumnOfAStreamWithAWatermarkIsItsRowTime() {
    TimeAttributes bid = assertInstanceOf(StreamTableScan.class, convert("SELECT * FROM bid")).timeAttributes();
    assertEquals(TimeAttribute.ROWTIME, bid.get(5));
    assertEquals(TimeAttributes.none(5), convert("SELECT * FROM bid").timeAttributes().select(0, 1, 2, 3, 4));
    assertEquals(TimeAttributes.none(3), convert("SELECT * FROM clicks").timeAttributes());
  }

  @Test
  void aColumnRenamedThroughACalcKeepsItsRole() {
    StreamRel calc = convert("SELECT price, `dateTime` AS t, `dateTime` + INTERVAL '1' SECOND AS later FROM bid");
    assertInstanceOf(StreamCalc.class, calc);
    assertEquals(TimeAttribute.NONE, calc.timeAttributes().get(0));
    assertEquals(TimeAttribute.ROWTIME, calc.timeAttributes().get(1));
    assertEquals(TimeAttribute.NONE, calc.timeAttributes().get(2));
  }

  @Test
  void aWindowAddsItsBoundsAndKeepsTheColumnsItCarries() {
    StreamRel window = convert("SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))");
    assertInstanceOf(StreamWindowAssign.class, window);
    TimeAttributes columns = window.timeAttributes();
    assertEquals(TimeAttribute.ROWTIME, columns.get(5));
    int id = window.getId();
    assertEquals(TimeAttribute.windowBound(Kind.WINDOW_START, 10_000, id), columns.get(7));
    assertEquals(TimeAttribute.windowBound(Kind.WINDOW_END, 10_000, id), columns.get(8));
    assertEquals(TimeAttribute.windowBound(Kind.WINDOW_TIME, 10_000, id), columns.get(9));
  }

  @Test
  void aWindowOverTheWindowTimeOfAnInnerAggregationKeepsItsTimeAttribute() {
    StreamRel outer = convert("""
        WITH counts AS (
          SELECT window_time AS wt, COUNT(*) AS n
          FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
          GROUP BY window_start, window_end, window_time)
        SELECT window_start, window_end, SUM(n)
        FROM TABLE(HOP(TABLE counts, DESCRIPTOR(wt), INTERVAL '10' SECOND, INTERVAL '1' MINUTE))
        GROUP BY window_start, window_end""");
    // StreamAggregate <- StreamCalc <- StreamWindowAssign (a 1 min hop over wt) <- StreamCalc (wt, n)
    // <- StreamAggregate (10 s tumbling windows)
    StreamRel outerWindow = assertInstanceOf(StreamWindowAssign.class, input(input(outer)));
    StreamRel projection = assertInstanceOf(StreamCalc.class, input(outerWindow));
    StreamRel innerAggregate = assertInstanceOf(StreamAggregate.class, input(projection));
    TimeAttribute wt = projection.timeAttributes().get(0);
    assertEquals(Kind.WINDOW_TIME, wt.kind());
    assertEquals(10_000, wt.size());
    assertEquals(innerAggregate.timeAttributes().get(2), wt);
    TimeAttribute outerEnd = outerWindow.timeAttributes().get(outerWindow.getRowType().getFieldCount() - 2);
    assertEquals(Kind.WINDOW_END, outerEnd.kind());
    assertEquals(60_000, outerEnd.size());
    assertNotEquals(wt.window(), outerEnd.window());
  }

  @Test
  void aSessionsEndAndTimeAreBoundsOfNoFixedSize() {
    StreamRel session = convert("""
        SELECT window_start, window_end, window_time, bidder, COUNT(*)
        FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(`dateTime`), INTERVAL '5' SECOND))
        GROUP BY window_start, window_end, window_time, bidder""");
    assertInstanceOf(StreamSessionAggregate.class, session);
    TimeAttributes columns = session.timeAttributes();
    assertEquals(TimeAttribute.NONE, columns.get(0));
    assertEquals(TimeAttribute.windowBound(Kind.WINDOW_END, 0, session.getId()), columns.get(1));
    assertEquals(TimeAttribute.windowBound(Kind.WINDOW_TIME, 0, session.getId()), columns.get(2));
    assertEquals(TimeAttribute.NONE, columns.get(3));
    assertEquals(TimeAttribute.NONE, columns.get(4));
  }

  @Test
  void aTopNKeepsItsInputsAttributesAndItsRankHasNone() {
    StreamRel calc = convert("""
        SELECT * FROM (
          SELECT window_start, window_end, auction, price,
            ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
          FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
        ) WHERE rn <= 3""");
    StreamRel rank = assertInstanceOf(StreamWindowRank.class, input(calc));
    TimeAttributes window = input(rank).timeAttributes();
    assertEquals(window.padTo(window.size() + 1), rank.timeAttributes());
    assertEquals(Kind.WINDOW_START, calc.timeAttributes().get(0).kind());
    assertEquals(TimeAttribute.NONE, calc.timeAttributes().get(4));
  }

  @Test
  void theColumnsBesideTheSplitPiecesKeepTheirAttributes() {
    StreamRel calc = convert("SELECT w, `dateTime` FROM bid CROSS JOIN UNNEST(SPLIT(url, '/')) AS t(w)");
    StreamRel split = assertInstanceOf(StreamSplit.class, input(calc));
    assertEquals(TimeAttribute.ROWTIME, split.timeAttributes().get(5));
    assertEquals(TimeAttribute.NONE, calc.timeAttributes().get(0));
    assertEquals(TimeAttribute.ROWTIME, calc.timeAttributes().get(1));
  }
}
