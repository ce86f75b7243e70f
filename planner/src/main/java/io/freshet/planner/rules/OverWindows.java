package io.freshet.planner.rules;

import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.util.Locale;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.sql.SqlKind;

/**
 * What an OVER window of Calcite's plan ({@link Window}) is: a Top-N's ranking, or OVER aggregations, of which the
 * shapes that do not depend on the input are checked here (one window for all aggregates, COUNT, SUM, MIN, MAX and
 * AVG, ORDER BY one column ascending, a frame from some rows or some time before the current row up to it). That
 * the ORDER BY is the input's event time is checked by {@link StreamOverAggregateRule}, which knows the input.
 */
final class OverWindows {
  static final String FRAMES = "ROWS BETWEEN 10 PRECEDING AND CURRENT ROW, RANGE BETWEEN INTERVAL '10' SECOND "
      + "PRECEDING AND CURRENT ROW, or from the partition's first row (UNBOUNDED PRECEDING, the default)";

  private OverWindows() {
  }

  private static boolean isRanking(SqlKind kind) {
    return kind == SqlKind.ROW_NUMBER || kind == SqlKind.RANK || kind == SqlKind.DENSE_RANK;
  }

  /** Whether every function over the window ranks: a Top-N, which {@link StreamWindowRankRule} converts. */
  static boolean isRanking(Window window) {
    return window.groups.stream().flatMap(g -> g.aggCalls.stream())
        .allMatch(call -> isRanking(call.getOperator().getKind()));
  }

  /** Refuses OVER aggregations of a shape that does not run, whatever the input; a Top-N's ranking passes. */
  static void check(Window window) {
    if (isRanking(window)) {
      return;
    }
    boolean ranks = window.groups.stream().flatMap(g -> g.aggCalls.stream())
        .anyMatch(call -> isRanking(call.getOperator().getKind()));
    if (ranks) {
      throw FreshetException.user("ROW_NUMBER(), RANK() and DENSE_RANK() (a Top-N) cannot be mixed with OVER "
          + "aggregations in one SELECT; compute the aggregates in a subquery and rank its rows in the query over it");
    }
    if (window.groups.size() > 1) {
      throw FreshetException.user("All OVER aggregations of a query must use the same window (the same PARTITION "
          + "BY, ORDER BY and frame): define it once, WINDOW w AS (PARTITION BY ... ORDER BY ts ...), and write "
          + "OVER w for each aggregate");
    }
    Window.Group group = window.groups.get(0);
    for (Window.RexWinAggCall call : group.aggCalls) {
      SqlKind kind = call.getOperator().getKind();
      String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
      if (kind != SqlKind.COUNT && kind != SqlKind.SUM && kind != SqlKind.MIN && kind != SqlKind.MAX
          && kind != SqlKind.AVG) {
        throw FreshetException.user(name + "(...) OVER (...) is not supported; OVER aggregations compute COUNT, "
            + "SUM, MIN, MAX and AVG");
      }
      if (call.distinct) {
        throw FreshetException.user(name + "(DISTINCT ...) OVER (...) is not supported; drop DISTINCT");
      }
      if (call.getOperands().size() > 1 || call.getOperands().size() == 1
          && (!(call.getOperands().get(0) instanceof RexInputRef ref)
          || ref.getIndex() >= window.getInput().getRowType().getFieldCount())) {
        throw FreshetException.user(name + "(...) OVER (...) takes one column or expression of the input");
      }
    }
    if (group.orderKeys.getFieldCollations().size() != 1
        || group.orderKeys.getFieldCollations().get(0).getDirection() != RelFieldCollation.Direction.ASCENDING) {
      throw FreshetException.user("An OVER aggregation needs ORDER BY the event time of its input, ascending, and "
          + "nothing else (e.g. SUM(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 10 PRECEDING AND "
          + "CURRENT ROW)): its rows are emitted in order of time as the watermark passes them");
    }
    if (!group.upperBound.isCurrentRow() || group.lowerBound.isFollowing()) {
      throw FreshetException.user("An OVER aggregation's frame must end at the current row: " + FRAMES
          + "; a frame that reaches past the current row is not supported");
    }
    preceding(window, group);
  }

  /**
   * How far the frame reaches back before the current row: rows for ROWS, milliseconds for RANGE, or -1 from the
   * partition's first row.
   */
  static long preceding(Window window, Window.Group group) {
    RexWindowBound lower = group.lowerBound;
    if (lower.isUnbounded()) {
      return -1;
    }
    if (lower.isCurrentRow()) {
      return 0;
    }
    RexNode offset = lower.getOffset();
    if (offset instanceof RexInputRef ref) {
      int constant = ref.getIndex() - window.getInput().getRowType().getFieldCount();
      if (constant >= 0 && constant < window.constants.size()) {
        offset = window.constants.get(constant);
      }
    }
    if (offset instanceof RexLiteral literal && literal.getValue() instanceof BigDecimal value
        && value.signum() >= 0) {
      return value.longValue();
    }
    throw FreshetException.user("An OVER aggregation's frame must reach back a fixed number of rows or a fixed "
        + "interval: " + FRAMES);
  }
}
