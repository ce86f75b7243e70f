package io.freshet.planner.rules;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.types.TypeKind;
import io.freshet.exec.window.OverAggregateOperator;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamOverAggregate;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamTableScan;
import io.freshet.planner.rel.TimeAttributes;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.logical.LogicalWindow;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;

/**
 * Converts OVER aggregations ({@code SUM(x) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT
 * ROW)}, a window of Calcite's plan whose functions aggregate) into a {@link StreamOverAggregate}. Over insert-only
 * rows the ORDER BY must be the input's event time (any TIMESTAMP of a bounded table without one), since a row is
 * emitted when the watermark passes its time; over a changelog it may be any column (the plan's output mode
 * validation decides which, once it knows the input's rows). A window of ranking functions is a Top-N, left to
 * {@link StreamWindowRankRule}.
 */
public final class StreamOverAggregateRule extends RelRule<StreamRuleConfig<StreamOverAggregateRule>> {

  public static final StreamRuleConfig<StreamOverAggregateRule> DEFAULT = StreamRuleConfig.of(
      "StreamOverAggregateRule", StreamOverAggregateRule::new,
      b0 -> b0.operand(LogicalWindow.class).oneInput(b1 -> b1.operand(StreamRel.class).anyInputs()));

  StreamOverAggregateRule(StreamRuleConfig<StreamOverAggregateRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalWindow window = call.rel(0);
    if (OverWindows.isRanking(window)) {
      return;
    }
    OverWindows.check(window);
    Window.Group group = window.groups.get(0);
    RelNode input = window.getInput();
    int time = group.orderKeys.getFieldCollations().get(0).getFieldIndex();
    String orderProblem = orderProblem(input, time);
    List<AggregateCall> calls = new ArrayList<>();
    for (Window.RexWinAggCall c : group.aggCalls) {
      int arg = c.getOperands().isEmpty() ? -1 : ((RexInputRef) c.getOperands().get(0)).getIndex();
      TypeKind argType = arg < 0 ? null : Types.toKind(input.getRowType().getFieldList().get(arg).getType());
      AggregateCall.Kind kind = switch (c.getOperator().getKind()) {
        case COUNT -> AggregateCall.Kind.COUNT;
        case SUM -> AggregateCall.Kind.SUM;
        case MIN -> AggregateCall.Kind.MIN;
        case MAX -> AggregateCall.Kind.MAX;
        default -> AggregateCall.Kind.AVG;
      };
      if ((kind == AggregateCall.Kind.SUM || kind == AggregateCall.Kind.AVG) && !argType.isNumeric()) {
        throw FreshetException.user(kind + "(...) OVER (...) needs a number, not " + argType.sqlName());
      }
      calls.add(new AggregateCall(kind, arg, argType, Types.toKind(c.getType())));
    }
    long preceding = OverWindows.preceding(window, group);
    TypeKind orderType = Types.toKind(input.getRowType().getFieldList().get(time).getType());
    if (!group.isRows && preceding > 0 && orderType != TypeKind.TIMESTAMP && orderType != TypeKind.BIGINT
        && orderType != TypeKind.INT) {
      throw FreshetException.user("A RANGE frame reaching back " + preceding + " needs ORDER BY a TIMESTAMP or an "
          + "integer column, not " + orderType.sqlName() + "; use ROWS BETWEEN n PRECEDING AND CURRENT ROW");
    }
    OverAggregateOperator.Spec spec = new OverAggregateOperator.Spec(time, group.keys.toArray(), group.isRows,
        preceding, calls, Types.toSchema(window.getRowType()), orderProblem);
    call.transformTo(new StreamOverAggregate(window.getCluster(), window.getTraitSet().replace(StreamRel.STREAM),
        input, window.getRowType(), spec));
  }

  /**
   * Null when the ORDER BY column is the input's event time (a stream's row time or the window time of an inner
   * window aggregation, or any TIMESTAMP of a bounded table that declares no watermark), which an insert-only input
   * needs; else why it is not and what to write instead, the error for such an input (a changelog input, whose
   * OVER aggregation is kept up to date, may be ordered by any column).
   */
  private static String orderProblem(RelNode input, int column) {
    List<RelDataTypeField> fields = input.getRowType().getFieldList();
    TimeAttributes attributes = StreamRel.timeAttributesOf(input);
    PlannerTable source = StreamTableScan.sourceBelow(input);
    boolean timestamp = Types.toKind(fields.get(column).getType()) == TypeKind.TIMESTAMP;
    if (timestamp && (attributes.get(column).isEventTime() || source.bounded() && source.eventTimeColumn() == null)) {
      return null;
    }
    String eventTime = null;
    for (int i = 0; i < fields.size() && eventTime == null; i++) {
      if (attributes.get(i).isEventTime()) {
        eventTime = fields.get(i).getName();
      }
    }
    if (eventTime == null) {
      // A column the query does not read is not among the input's.
      eventTime = source.eventTimeColumn();
    }
    String instead = eventTime != null ? "write ORDER BY " + eventTime
        : "declare a watermark on the stream's time (CREATE STREAM " + source.name() + " (..., WATERMARK FOR ts AS "
            + "ts - INTERVAL '5' SECOND) ...) and ORDER BY it";
    return "An OVER aggregation must be ORDER BY the event time of its input, ascending, since each row is emitted "
        + "once the watermark passes its time; " + fields.get(column).getName() + " is not event time: " + instead;
  }
}
