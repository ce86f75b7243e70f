package io.freshet.planner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.planner.rel.StreamCalc;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamWindowAssign;
import io.freshet.planner.rules.StreamCalcRule;
import io.freshet.planner.rules.StreamRuleConfig;
import io.freshet.planner.translate.CalcTranslator;
import io.freshet.streaming.FreshetException;
import org.junit.jupiter.api.Test;

/** What the streaming rules do beyond what the golden plans show. */
class StreamRulesTest {

  private static StreamRel convert(String sql) {
    return new QueryPlanner(GoldenPlanTest.TABLES).toStream(GoldenPlanTest.parse(sql, false));
  }

  private static String refusal(String sql) {
    return assertThrows(FreshetException.class, () -> convert(sql)).getMessage();
  }

  @Test
  void aWindowCarriesOnlyTheColumnsTheCalcOverItReads() {
    StreamRel calc = convert("SELECT url, window_end FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), "
        + "INTERVAL '10' SECOND)) WHERE price > 5");
    StreamWindowAssign window = assertInstanceOf(StreamWindowAssign.class, calc.getInput(0));
    assertArrayEquals(new int[] {2, 4}, window.spec().carried());
    assertEquals(5, window.getRowType().getFieldCount());
    assertEquals("Calc(filter=[GT($0, 5)], project=[$1, $3])",
        CalcTranslator.translate(assertInstanceOf(StreamCalc.class, calc)).describe());
  }

  @Test
  void aWindowReadInFullKeepsAllItsColumns() {
    StreamRel calc = convert("SELECT *, window_start FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), "
        + "INTERVAL '10' SECOND))");
    StreamWindowAssign window = assertInstanceOf(StreamWindowAssign.class, calc.getInput(0));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, window.spec().carried());
  }

  @Test
  void aRuleConfigIsAnImmutableValue() {
    StreamRuleConfig<StreamCalcRule> renamed = StreamCalcRule.DEFAULT.withDescription("RenamedCalcRule");
    assertNotSame(StreamCalcRule.DEFAULT, renamed);
    assertEquals("StreamCalcRule", StreamCalcRule.DEFAULT.description());
    assertEquals("RenamedCalcRule", renamed.toRule().toString());
    assertSame(renamed, renamed.as(StreamRuleConfig.class));
    assertEquals(StreamCalcRule.DEFAULT, StreamCalcRule.DEFAULT.withDescription("StreamCalcRule"));
  }

  @Test
  void theRefusalNearestTheTopOfTheQueryComesFirst() {
    // The projection's function is refused before the join below it, and before the aggregate below it.
    assertEquals("The function or operator POWER is not supported yet",
        refusal("SELECT SQRT(price) FROM bid b JOIN clicks c ON b.url = c.url"));
    assertEquals("The function or operator POWER is not supported yet",
        refusal("SELECT SQRT(n) FROM (SELECT channel, STDDEV(price) AS n FROM bid GROUP BY channel)"));
    // An OVER aggregation's frame is refused before the window under it is checked for event time.
    assertTrue(refusal("SELECT SUM(CHAR_LENGTH(url)) OVER (PARTITION BY userId ORDER BY ts ROWS BETWEEN CURRENT ROW "
        + "AND 1 FOLLOWING) FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' MINUTE))")
        .startsWith("An OVER aggregation's frame must end at the current row"));
  }

  @Test
  void aSessionUnderAProjectionNeedsAnAggregationDirectlyOverIt() {
    assertEquals("A SESSION window needs an aggregation directly over it: GROUP BY window_start, window_end and the "
        + "session's keys", refusal("SELECT bidder, UPPER(channel) FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, "
        + "DESCRIPTOR(`dateTime`), INTERVAL '5' SECOND))"));
  }
}
