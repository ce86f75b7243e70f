package io.freshet.planner.rules;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.Types;
import io.freshet.planner.rel.TimeAttribute;
import io.freshet.planner.rel.TimeAttributes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;

/**
 * What the conditions of a join of two streams say about time: for each side, how long one of its rows can still
 * find a match. A comparison {@code y.ts + k1 <= x.c + k2} (or {@code <}, or turned round with {@code >=},
 * {@code >}, or written with BETWEEN) where {@code y.ts} is the row time of the other side {@code y} says that a row
 * of {@code x} matches no row of {@code y} whose time is past {@code x.c + k2 - k1}: once the watermark passes that,
 * the row can go. Each side needs such a bound, else its state would grow forever.
 */
final class JoinBounds {

  /** A bound of side {@code side}'s rows: the expression {@code column + offset} over that side's columns. */
  record Until(int side, int column, long offsetMs, boolean ownTime) {
    Expr expr(TypeKind type) {
      Expr ref = new Expr.ColumnRef(column, type);
      return offsetMs == 0 ? ref : Expr.call(Expr.Op.PLUS, TypeKind.TIMESTAMP, ref, new Expr.Literal(offsetMs,
          TypeKind.BIGINT));
    }
  }

  /** A column plus a constant interval. */
  private record Term(int column, long offsetMs) {
  }

  private final int leftWidth;
  private final int[] rowtimes;
  /** Per side, its TIMESTAMP columns where it has no row time (null where it has one or is unbounded). */
  private final boolean[][] timestamps;
  private final List<List<Until>> bounds = List.of(new ArrayList<>(), new ArrayList<>());

  /**
   * @param conditions the conjuncts that are not equalities of keys, over the left columns then the right's
   * @param timestamps per side, which columns are TIMESTAMPs: a side with no row time that reads only bounded
   *     input takes the first of them that a bound compares as its time (its rows are all read before the end)
   */
  JoinBounds(List<RexNode> conditions, TimeAttributes left, TimeAttributes right, boolean[][] timestamps) {
    this.leftWidth = left.size();
    this.rowtimes = new int[] {rowtime(left), rowtime(right)};
    this.timestamps = timestamps;
    for (RexNode condition : conditions) {
      for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
        read(conjunct);
      }
    }
  }

  private static int rowtime(TimeAttributes attributes) {
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.get(i).kind() == TimeAttribute.Kind.ROWTIME) {
        return i;
      }
    }
    return -1;
  }

  /** The row time column of side {@code side} (in that side's numbering), or -1 when it has none. */
  int rowtime(int side) {
    return rowtimes[side];
  }

  /** The tightest bound found for side {@code side}, preferring one from its own row time; null when none. */
  Until until(int side) {
    Until best = null;
    for (Until u : bounds.get(side)) {
      if (best == null || u.ownTime() && (!best.ownTime() || u.offsetMs() < best.offsetMs())) {
        best = u;
      }
    }
    return best;
  }

  private void read(RexNode conjunct) {
    if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
      return;
    }
    RexNode a = call.getOperands().get(0);
    RexNode b = call.getOperands().get(1);
    switch (call.getKind()) {
      case LESS_THAN, LESS_THAN_OR_EQUAL -> lessOrEqual(term(a), term(b));
      case GREATER_THAN, GREATER_THAN_OR_EQUAL -> lessOrEqual(term(b), term(a));
      default -> {
      }
    }
  }

  /**
   * An equality of a left and a right column (a join key): where both are their sides' row times, it bounds each
   * side by the other's time, as {@code <=} both ways would.
   */
  void equalTimes(int leftColumn, int rightColumn) {
    if (leftColumn == rowtimes[0] && rightColumn == rowtimes[1]) {
      lessOrEqual(new Term(leftColumn, 0), new Term(leftWidth + rightColumn, 0));
      lessOrEqual(new Term(leftWidth + rightColumn, 0), new Term(leftColumn, 0));
    }
  }

  /**
   * {@code low <= high}: where {@code low} is a side's row time {@code x.ts + k1} and {@code high} is
   * {@code y.c + k2} of the other side, a row of {@code y} matches no row of {@code x} whose time is past
   * {@code y.c + k2 - k1}, so it can go once the watermark passes that.
   */
  private void lessOrEqual(Term low, Term high) {
    if (low == null || high == null) {
      return;
    }
    int lowSide = low.column() < leftWidth ? 0 : 1;
    int highSide = high.column() < leftWidth ? 0 : 1;
    if (lowSide == highSide) {
      return;
    }
    int lowColumn = low.column() - (lowSide == 0 ? 0 : leftWidth);
    int highColumn = high.column() - (highSide == 0 ? 0 : leftWidth);
    for (int side = 0; side < 2; side++) {
      int column = side == lowSide ? lowColumn : highColumn;
      if (rowtimes[side] < 0 && timestamps[side] != null && timestamps[side][column]) {
        rowtimes[side] = column;
      }
    }
    if (lowColumn == rowtimes[lowSide]) {
      bounds.get(highSide).add(new Until(highSide, highColumn, high.offsetMs() - low.offsetMs(),
          highColumn == rowtimes[highSide]));
    }
  }

  /** A column, or a column plus or minus a constant interval; null for anything else. */
  private static Term term(RexNode node) {
    RexNode e = node;
    // A cast from one TIMESTAMP to another that keeps its precision changes nothing; any other may.
    while (e instanceof RexCall cast && cast.getKind() == SqlKind.CAST
        && cast.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP
        && cast.getOperands().get(0).getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP
        && cast.getType().getPrecision() >= cast.getOperands().get(0).getType().getPrecision()) {
      e = cast.getOperands().get(0);
    }
    if (e instanceof RexInputRef ref) {
      return new Term(ref.getIndex(), 0);
    }
    if (e instanceof RexCall call && (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS)
        && call.getOperands().size() == 2) {
      RexNode x = call.getOperands().get(0);
      RexNode y = call.getOperands().get(1);
      if (call.getKind() == SqlKind.PLUS && interval(x) != null) {
        RexNode t = x;
        x = y;
        y = t;
      }
      Long ms = interval(y);
      Term inner = ms == null ? null : term(x);
      if (inner != null) {
        return new Term(inner.column(), inner.offsetMs() + (call.getKind() == SqlKind.PLUS ? ms : -ms));
      }
    }
    return null;
  }

  /** The milliseconds of a day-time interval constant, or null. */
  private static Long interval(RexNode node) {
    if (node instanceof RexLiteral literal && !literal.isNull()
        && literal.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME) {
      return literal.getValueAs(BigDecimal.class).longValue();
    }
    return null;
  }

  /** The type of a column of side {@code side}, as the runtime knows it. */
  static TypeKind type(org.apache.calcite.rel.RelNode input, int column) {
    return Types.toKind(input.getRowType().getFieldList().get(column).getType());
  }
}
