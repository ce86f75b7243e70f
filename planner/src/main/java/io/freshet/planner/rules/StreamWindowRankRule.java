package io.freshet.planner.rules;

import io.freshet.exec.dedup.DeduplicateOperator;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.window.TopNOperator;
import io.freshet.exec.window.WindowRankOperator;
import io.freshet.planner.Types;
import io.freshet.planner.rel.CloseKey;
import io.freshet.planner.rel.StreamCalc;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamWindowRank;
import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.logical.LogicalCalc;
import org.apache.calcite.rel.logical.LogicalWindow;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.sql.SqlKind;

/**
 * Converts a Top-N, {@code ROW_NUMBER() OVER (PARTITION BY ... ORDER BY x DESC) <= N} (a Calc filtering on the rank
 * over an OVER window), into a {@link StreamWindowRank} and a {@link StreamCalc} over it: a window Top-N when the
 * partition includes a window bound (which closes the window), else a Top-N kept up to date, or, for the first or
 * last row per key by event time ({@code ROW_NUMBER() ... ORDER BY ts [DESC]} with {@code rn = 1} or
 * {@code rn <= 1}), Flink's deduplication ({@link DeduplicateOperator}). The filter must bound the rank.
 */
public final class StreamWindowRankRule extends RelRule<StreamRuleConfig<StreamWindowRankRule>> {

  public static final StreamRuleConfig<StreamWindowRankRule> DEFAULT = StreamRuleConfig.of("StreamWindowRankRule",
      StreamWindowRankRule::new,
      b0 -> b0.operand(LogicalCalc.class).oneInput(b1 -> b1.operand(LogicalWindow.class)
          .oneInput(b2 -> b2.operand(StreamRel.class).anyInputs())));

  StreamWindowRankRule(StreamRuleConfig<StreamWindowRankRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalCalc calc = call.rel(0);
    LogicalWindow window = call.rel(1);
    UnsupportedShapes.refuseOverAggregations(window);
    if (window.groups.size() != 1 || window.groups.get(0).aggCalls.size() != 1) {
      throw FreshetException.user("A Top-N has one ranking function: ROW_NUMBER(), RANK() or DENSE_RANK()");
    }
    Window.Group group = window.groups.get(0);
    SqlKind kind = group.aggCalls.get(0).getOperator().getKind();
    WindowRankOperator.Function function = switch (kind) {
      case ROW_NUMBER -> WindowRankOperator.Function.ROW_NUMBER;
      case RANK -> WindowRankOperator.Function.RANK;
      case DENSE_RANK -> WindowRankOperator.Function.DENSE_RANK;
      default -> throw FreshetException.user("OVER windows are supported only as a Top-N with ROW_NUMBER(), "
          + "RANK() or DENSE_RANK(), not " + kind);
    };
    int width = window.getInput().getRowType().getFieldCount();
    int[] partition = group.keys.toArray();
    CloseKey close = StreamRel.timeAttributesOf(window.getInput()).firstCloseKey(partition);
    List<RelFieldCollation> order = group.orderKeys.getFieldCollations();
    if (order.isEmpty()) {
      throw FreshetException.user("A Top-N needs ORDER BY inside OVER (...)");
    }
    int[] orderColumns = new int[order.size()];
    boolean[] descending = new boolean[order.size()];
    for (int i = 0; i < order.size(); i++) {
      orderColumns[i] = order.get(i).getFieldIndex();
      descending[i] = order.get(i).getDirection().isDescending();
    }
    long limit = rankLimit(calc.getProgram(), width);
    // The first or last row per key by event time is a deduplication; per window, the rows are ranked once, when
    // the window closes; without one, the ranking is kept up to date.
    boolean deduplicate = close == null && function == WindowRankOperator.Function.ROW_NUMBER && limit == 1
        && order.size() == 1 && StreamRel.timeAttributesOf(window.getInput()).get(orderColumns[0]).isEventTime();
    OperatorFactory spec = deduplicate
        ? new DeduplicateOperator.Spec(partition, orderColumns[0], descending[0], Types.toSchema(window.getRowType()))
        : close != null
        ? new WindowRankOperator.Spec(partition, partition[close.position()], close.offsetMs(), orderColumns,
            descending, function, limit, Types.toSchema(window.getRowType()))
        : new TopNOperator.Spec(partition, orderColumns, descending, function, limit,
            Types.toSchema(window.getRowType()), false);
    StreamWindowRank rank = new StreamWindowRank(window.getCluster(), window.getTraitSet().replace(StreamRel.STREAM),
        window.getInput(), window.getRowType(), spec, partition);
    call.transformTo(new StreamCalc(calc.getCluster(), calc.getTraitSet().replace(StreamRel.STREAM), rank,
        calc.getProgram()));
  }

  /** N of the filter {@code rank <= N} (or {@code < N + 1}, {@code = N}) on column {@code rankColumn}. */
  private static long rankLimit(RexProgram program, int rankColumn) {
    if (program.getCondition() != null) {
      RexNode condition = program.expandLocalRef(program.getCondition());
      for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
        if (conjunct instanceof RexCall c && c.getOperands().size() == 2
            && c.getOperands().get(0) instanceof RexInputRef ref && ref.getIndex() == rankColumn
            && c.getOperands().get(1) instanceof RexLiteral literal) {
          long n = ((BigDecimal) literal.getValue()).longValue();
          switch (c.getKind()) {
            case LESS_THAN_OR_EQUAL:
              return n;
            case LESS_THAN:
              return n - 1;
            case EQUALS:
              return n;
            default:
              break;
          }
        }
      }
    }
    throw FreshetException.user("A Top-N needs a filter on its rank, e.g. WHERE rn <= 3; without one every row "
        + "of every window is kept");
  }
}
