package io.freshet.planner.rules;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.join.IntervalJoinOperator;
import io.freshet.exec.join.JoinType;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.PlannerSettings;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamJoin;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamTableScan;
import io.freshet.planner.rel.TimeAttribute;
import io.freshet.planner.rel.TimeAttributes;
import io.freshet.planner.translate.RexTranslator;
import io.freshet.streaming.FreshetException;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * Converts a join of two streams into an interval join ({@link StreamJoin}): its equalities become the join key on
 * which both inputs are hashed, and the comparisons of the two sides' times ({@link JoinBounds}) say how long each
 * side keeps its rows. A join whose keys include the ends of the two sides' windows (of one length) is a window
 * join, as in Flink: a row is kept until its window closes. A join whose state nothing bounds is refused, saying
 * what bound to add.
 */
public final class StreamJoinRule extends RelRule<StreamRuleConfig<StreamJoinRule>> {

  public static final StreamRuleConfig<StreamJoinRule> DEFAULT = StreamRuleConfig.of("StreamJoinRule",
      StreamJoinRule::new, b0 -> b0.operand(LogicalJoin.class).predicate(StreamJoinRule::inputsConverted)
          .anyInputs());

  static final String EXAMPLE = "ON a.id = b.id AND b.ts BETWEEN a.ts - INTERVAL '1' MINUTE AND a.ts + INTERVAL "
      + "'1' MINUTE";

  StreamJoinRule(StreamRuleConfig<StreamJoinRule> config) {
    super(config);
  }

  /** Whether each input is a stream node already, or a VALUES table; not a semi or anti join (StreamSemiJoinRule). */
  private static boolean inputsConverted(LogicalJoin join) {
    return join.getJoinType().projectsRight() && join.getInputs().stream().allMatch(i -> i.stripped() instanceof StreamRel
        || StaticInput.values(i.stripped()));
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalJoin join = call.rel(0);
    RelNode left = join.getLeft();
    RelNode right = join.getRight();
    JoinType type = joinType(join);
    StaticInput leftTable = StaticInput.of(left.stripped(), join.getCluster().getRexBuilder());
    StaticInput rightTable = StaticInput.of(right.stripped(), join.getCluster().getRexBuilder());
    if (leftTable != null && leftTable.values() != null && rightTable != null && rightTable.values() != null) {
      throw FreshetException.user("A query must read a stream or table: this join reads only VALUES");
    }
    JoinInfo info = join.analyzeCondition();
    int[] leftKeys = info.leftKeys.toIntArray();
    int[] rightKeys = info.rightKeys.toIntArray();
    for (int k = 0; k < leftKeys.length; k++) {
      TypeKind a = JoinBounds.type(left, leftKeys[k]);
      TypeKind b = JoinBounds.type(right, rightKeys[k]);
      if (a != b) {
        throw FreshetException.user("The join compares " + name(left, leftKeys[k]) + " (" + a.sqlName() + ") with "
            + name(right, rightKeys[k]) + " (" + b.sqlName() + "); CAST one to the other's type");
      }
    }
    RexNode residualCondition = RexUtil.composeConjunction(join.getCluster().getRexBuilder(),
        info.nonEquiConditions);
    Expr staticCondition = residualCondition.isAlwaysTrue() ? null
        : new RexTranslator(join.getCluster().getRexBuilder()).translate(residualCondition);
    boolean leftStream = !StreamTableScan.readsOnlyBounded(left) && !StaticInput.values(left.stripped());
    boolean rightStream = !StreamTableScan.readsOnlyBounded(right) && !StaticInput.values(right.stripped());
    if (leftStream && rightTable != null || rightStream && leftTable != null
        || !leftStream && !rightStream && (leftTable != null && leftTable.values() != null || rightTable != null
        && rightTable.values() != null)) {
      boolean streamLeft = rightTable != null && (leftStream || leftTable == null || leftTable.values() == null);
      call.transformTo(StaticInput.join(join, type, streamLeft, streamLeft ? rightTable : leftTable, leftKeys,
          rightKeys, staticCondition));
      return;
    }
    TimeAttributes leftTimes = StreamRel.timeAttributesOf(left);
    TimeAttributes rightTimes = StreamRel.timeAttributesOf(right);
    RexNode residual = RexUtil.composeConjunction(join.getCluster().getRexBuilder(), info.nonEquiConditions);
    Expr condition = residual.isAlwaysTrue() ? null
        : new RexTranslator(join.getCluster().getRexBuilder()).translate(residual);
    int window = windowKey(leftTimes, rightTimes, leftKeys, rightKeys);
    if (window >= 0 && (leftTimes.get(leftKeys[window]).processing()
        || rightTimes.get(rightKeys[window]).processing())) {
      throw FreshetException.user("A window join of processing-time windows is not supported: window joins follow "
          + "event time (windows over a column with a WATERMARK); aggregate each side's processing-time windows, or "
          + "join the streams by event time");
    }
    if (window >= 0) {
      // A window join: a row can only match rows of its own window, so it is kept until its window closes.
      int l = leftKeys[window];
      int r = rightKeys[window];
      IntervalJoinOperator.Spec spec = new IntervalJoinOperator.Spec(type, Types.toSchema(left.getRowType()),
          Types.toSchema(right.getRowType()), leftKeys, rightKeys, l, r, windowUntil(leftTimes, l),
          windowUntil(rightTimes, r), condition, 0, 0L, 0L, false);
      call.transformTo(new StreamJoin(join.getCluster(), join.getTraitSet().replace(StreamRel.STREAM), left, right,
          join.getRowType(), spec, StreamJoin.Times.WINDOWS));
      return;
    }
    // A bounded input may stand in a TIMESTAMP it compares for its row time only when the other input ends too:
    // joined with a stream, its rows would be judged late by the stream's watermark.
    boolean allBounded = StreamTableScan.readsOnlyBounded(left) && StreamTableScan.readsOnlyBounded(right);
    JoinBounds bounds = new JoinBounds(info.nonEquiConditions, leftTimes, rightTimes, allBounded
        ? new boolean[][] {timestamps(left), timestamps(right)} : new boolean[][] {null, null});
    for (int k = 0; k < leftKeys.length; k++) {
      bounds.equalTimes(leftKeys[k], rightKeys[k]);
    }
    JoinBounds.Until leftUntil = bounds.rowtime(0) < 0 || bounds.rowtime(1) < 0 ? null : bounds.until(0);
    JoinBounds.Until rightUntil = bounds.rowtime(0) < 0 || bounds.rowtime(1) < 0 ? null : bounds.until(1);
    if (leftUntil == null || rightUntil == null) {
      PlannerSettings settings = call.getPlanner().getContext().unwrap(PlannerSettings.class);
      call.transformTo(regular(join, type, leftKeys, rightKeys, condition, bounds,
          settings == null ? 0 : settings.stateTtlMs()));
      return;
    }
    boolean keepsTime = leftUntil.ownTime() && rightUntil.ownTime();
    long delay = keepsTime ? Math.max(0, Math.max(leftUntil.offsetMs(), rightUntil.offsetMs())) : 0;
    // With fixed bounds a right row's time is in [left time - right offset, left time + left offset].
    IntervalJoinOperator.Spec spec = new IntervalJoinOperator.Spec(type, Types.toSchema(left.getRowType()),
        Types.toSchema(right.getRowType()), leftKeys, rightKeys, bounds.rowtime(0), bounds.rowtime(1),
        until(left, leftUntil), until(right, rightUntil), condition, delay,
        keepsTime ? -rightUntil.offsetMs() : null, keepsTime ? leftUntil.offsetMs() : null, false);
    call.transformTo(new StreamJoin(join.getCluster(), join.getTraitSet().replace(StreamRel.STREAM), left, right,
        join.getRowType(), spec, keepsTime ? StreamJoin.Times.ROW_TIMES : StreamJoin.Times.NONE));
  }

  /**
   * A regular join, Flink's join without a time bound: each side keeps its rows for {@code ttlMs} of event time
   * (for ever when 0, which EXPLAIN and the start warn of). Refused without a join key and without a TTL: every row
   * would be compared with every row ever seen.
   */
  private static StreamJoin regular(LogicalJoin join, JoinType type, int[] leftKeys, int[] rightKeys,
      Expr condition, JoinBounds bounds, long ttlMs) {
    RelNode left = join.getLeft();
    RelNode right = join.getRight();
    if (leftKeys.length == 0 && ttlMs == 0) {
      throw FreshetException.user("This join of two streams has no equality of keys and no bound on event time, so "
          + "every row would be compared with every row ever seen, and kept for ever. Join on keys (ON a.id = b.id),"
          + " bound the two sides' event times as an interval join does (" + EXAMPLE + "), or SET 'state.ttl' to "
          + "drop rows older than that");
    }
    int leftTime = bounds.rowtime(0);
    int rightTime = bounds.rowtime(1);
    if (ttlMs > 0 && (leftTime < 0 || rightTime < 0)) {
      throw FreshetException.user("'state.ttl' drops a join's rows by event time, but the " + (leftTime < 0 ? "left"
          : "right") + " input has no column with a watermark; declare one (WATERMARK FOR ts AS ts - INTERVAL '5' "
          + "SECOND) or RESET 'state.ttl'");
    }
    IntervalJoinOperator.Spec spec = new IntervalJoinOperator.Spec(type, Types.toSchema(left.getRowType()),
        Types.toSchema(right.getRowType()), leftKeys, rightKeys, leftTime, rightTime, ttl(leftTime, ttlMs),
        ttl(rightTime, ttlMs), condition, 0, null, null, true);
    return new StreamJoin(join.getCluster(), join.getTraitSet().replace(StreamRel.STREAM), left, right,
        join.getRowType(), spec, StreamJoin.Times.NONE);
  }

  /** A row's time plus the TTL, or a time no watermark passes. */
  private static Expr ttl(int time, long ttlMs) {
    return ttlMs == 0 ? new Expr.Literal(Long.MAX_VALUE, TypeKind.TIMESTAMP) : Expr.call(Expr.Op.PLUS,
        TypeKind.TIMESTAMP, new Expr.ColumnRef(time, TypeKind.TIMESTAMP), new Expr.Literal(ttlMs, TypeKind.BIGINT));
  }

  /**
   * The position among the join keys of an equality of the two sides' window ends (or window times), which makes
   * the join a window join, or -1.
   */
  private static int windowKey(TimeAttributes left, TimeAttributes right, int[] leftKeys, int[] rightKeys) {
    for (int k = 0; k < leftKeys.length; k++) {
      TimeAttribute a = left.get(leftKeys[k]);
      TimeAttribute b = right.get(rightKeys[k]);
      // Equal ends (or times) bound both sides whatever the windows' sizes: a row matches only rows of its end.
      if ((a.kind() == TimeAttribute.Kind.WINDOW_END || a.kind() == TimeAttribute.Kind.WINDOW_TIME)
          && a.kind() == b.kind()) {
        return k;
      }
    }
    return -1;
  }

  /** The last time a row of a window can be matched: its window's end minus 1 ms, its window time. */
  private static Expr windowUntil(TimeAttributes times, int column) {
    Expr ref = new Expr.ColumnRef(column, TypeKind.TIMESTAMP);
    return times.get(column).kind() == TimeAttribute.Kind.WINDOW_TIME ? ref
        : Expr.call(Expr.Op.PLUS, TypeKind.TIMESTAMP, ref, new Expr.Literal(-1L, TypeKind.BIGINT));
  }

  /** Which columns of a bounded input are TIMESTAMPs, or null for an unbounded one. */
  private static boolean[] timestamps(RelNode input) {
    if (!StreamTableScan.readsOnlyBounded(input)) {
      return null;
    }
    int width = input.getRowType().getFieldCount();
    boolean[] out = new boolean[width];
    for (int c = 0; c < width; c++) {
      out[c] = JoinBounds.type(input, c) == TypeKind.TIMESTAMP;
    }
    return out;
  }

  private static Expr until(RelNode input, JoinBounds.Until until) {
    TypeKind type = JoinBounds.type(input, until.column());
    if (type != TypeKind.TIMESTAMP) {
      throw FreshetException.user("The join bounds event time by " + name(input, until.column()) + ", which is "
          + type.sqlName() + ", not a TIMESTAMP");
    }
    return until.expr(type);
  }

  private static JoinType joinType(LogicalJoin join) {
    return switch (join.getJoinType()) {
      case INNER -> JoinType.INNER;
      case LEFT -> JoinType.LEFT;
      case RIGHT -> JoinType.RIGHT;
      case FULL -> JoinType.FULL;
      default -> throw FreshetException.user(join.getJoinType() + " joins of two streams are not supported");
    };
  }

  private static String name(RelNode input, int column) {
    List<String> names = input.getRowType().getFieldNames();
    return column < 0 ? "?" : names.get(column);
  }
}
