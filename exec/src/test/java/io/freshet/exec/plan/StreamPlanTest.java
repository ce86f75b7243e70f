package io.freshet.exec.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.UnionOperator;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.exec.window.WindowAssignOperator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan graph: ids, inputs, derived changelog modes, what EXPLAIN prints, and what it refuses. */
class StreamPlanTest {
  private static final RowSchema EVENTS = RowSchema.of(Column.of("k", TypeKind.BIGINT),
      Column.of("ts", TypeKind.TIMESTAMP));
  private static final RowSchema WINDOWED = RowSchema.of(Column.of("k", TypeKind.BIGINT),
      Column.of("ts", TypeKind.TIMESTAMP), Column.of("window_start", TypeKind.TIMESTAMP),
      Column.of("window_end", TypeKind.TIMESTAMP), Column.of("window_time", TypeKind.TIMESTAMP));
  private static final RowSchema COUNTS = RowSchema.of(Column.of("k", TypeKind.BIGINT),
      Column.of("c", TypeKind.BIGINT));
  private static final Expr TS = new Expr.ColumnRef(1, TypeKind.TIMESTAMP);

  private static HashAggregateOperator.Spec count(HashAggregateOperator.Emit emit) {
    return new HashAggregateOperator.Spec(new int[] {0}, List.of(new AggregateCall(AggregateCall.Kind.COUNT, -1,
        null, TypeKind.BIGINT)), COUNTS, -1, 0, emit);
  }

  @Test
  void twoSourcesUnitedWindowedAndCounted() {
    StreamPlan.Builder b = StreamPlan.builder();
    int left = b.source("left", EVENTS, false, TS, "ts - INTERVAL '1' SECOND", 0);
    int right = b.source("right", EVENTS, true, null, null, 0);
    int union = b.node(new UnionOperator.Spec(EVENTS), Distribution.ANY, left, right);
    int window = b.node(new WindowAssignOperator.Spec(1, 1000, 1000, 0, new int[] {0, 1}, WINDOWED), union);
    int agg = b.node(count(HashAggregateOperator.Emit.UPDATES), Distribution.hash(0), window);
    StreamPlan plan = b.build(agg);

    assertEquals(List.of(0, 1, 2, 3, 4), List.of(left, right, union, window, agg));
    assertTrue(plan.isSource(1) && !plan.isSource(2));
    assertEquals(ChangelogMode.INSERT_ONLY, plan.changelogMode(window));
    assertEquals(ChangelogMode.RETRACT, plan.changelogMode());
    assertEquals(COUNTS, plan.outputSchema());
    assertArrayEquals(new int[] {0}, plan.upsertKey(), "its rows are replaced by their GROUP BY key");
    assertEquals(EVENTS, plan.lateRowSchema(), "the window drops rows of its input's schema");
    assertTrue(plan.isStateful());
    assertTrue(!plan.isBounded(), "one source does not end");
    assertEquals("""
        #4 Aggregate(keys=[0], aggregates=[COUNT(*)], emit=UPDATES) [by hash[0]; retract]
          #3 Tumble(size=1000 ms, time=$1, carry=[0, 1])
            #2 UnionAll
              #0 Scan(left, unbounded, watermark ts - INTERVAL '1' SECOND)
              #1 Scan(right, bounded)
        """, plan.explain());

    StreamPlan appendOnly = plan.replace(agg, count(HashAggregateOperator.Emit.ON_CLOSE));
    assertEquals(ChangelogMode.INSERT_ONLY, appendOnly.changelogMode());
    assertNull(appendOnly.upsertKey(), "final rows are never replaced");
    assertEquals(ChangelogMode.RETRACT, plan.changelogMode(), "replace leaves the original as it was");
  }

  @Test
  void aNodeReadByTwoOthersIsPrintedOnce() {
    StreamPlan.Builder b = StreamPlan.builder();
    int source = b.source("s", EVENTS, true, null, null, 0);
    CalcOperator.Spec pass = new CalcOperator.Spec(null, List.of(new Expr.ColumnRef(0, TypeKind.BIGINT), TS),
        EVENTS);
    int shared = b.node(pass, source);
    int union = b.node(new UnionOperator.Spec(EVENTS), Distribution.ANY, shared, shared);
    StreamPlan plan = b.build(union);
    assertEquals("""
        #2 UnionAll
          #1 Calc(project=[$0, $1])
            #0 Scan(s, bounded)
          #1 (shown above)
        """, plan.explain());
    assertNull(plan.lateRowSchema());
    assertTrue(plan.isBounded());
  }

  @Test
  void inputsMustExistAndMatchTheOperator() {
    StreamPlan.Builder b = StreamPlan.builder();
    int source = b.source("s", EVENTS, true, null, null, 0);
    assertThrows(IllegalArgumentException.class, () -> b.node(new UnionOperator.Spec(EVENTS), source));
    assertThrows(IllegalArgumentException.class, () -> b.node(new UnionOperator.Spec(EVENTS), Distribution.ANY,
        source, 7));
    assertThrows(IllegalArgumentException.class, () -> b.source("s", EVENTS, true, null, null, 0));
  }
}
