package io.freshet.planner.rules;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.planner.Types;
import io.freshet.planner.rel.CloseKey;
import io.freshet.planner.rel.StreamAggregate;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.TimeAttributes;
import io.freshet.planner.translate.AggregateCallTranslator;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalAggregate;

/**
 * Converts GROUP BY over a stream into a {@link StreamAggregate}: a window aggregation when a key is a window bound
 * (the close key is a window_end if there is one, else a window_time, else a window_start), otherwise an unbounded
 * one. It starts by emitting changed rows; the output-mode validator picks what it finally emits.
 */
public final class StreamAggregateRule extends RelRule<StreamRuleConfig<StreamAggregateRule>> {

  public static final StreamRuleConfig<StreamAggregateRule> DEFAULT = StreamRuleConfig.of("StreamAggregateRule",
      StreamAggregateRule::new,
      b0 -> b0.operand(LogicalAggregate.class).oneInput(b1 -> b1.operand(StreamRel.class).anyInputs()));

  StreamAggregateRule(StreamRuleConfig<StreamAggregateRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalAggregate agg = call.rel(0);
    UnsupportedShapes.refuseGroupingSets(agg);
    RelNode input = agg.getInput();
    int[] keys = agg.getGroupSet().toArray();
    List<AggregateCall> calls = AggregateCallTranslator.translate(agg, input.getRowType(), null);
    TimeAttributes time = StreamRel.timeAttributesOf(input);
    CloseKey close = time.closeKeyPreferringEnd(keys);
    List<String> keyNames = new ArrayList<>();
    for (int k : keys) {
      keyNames.add(input.getRowType().getFieldList().get(k).getName());
    }
    String description = keys.length == 0 ? "without GROUP BY" : "GROUP BY " + String.join(", ", keyNames);
    HashAggregateOperator.Spec spec = new HashAggregateOperator.Spec(keys, calls, Types.toSchema(agg.getRowType()),
        close == null ? -1 : close.position(), close == null ? 0 : close.offsetMs(),
        HashAggregateOperator.Emit.UPDATES, time.derivedFromClose(keys, close));
    call.transformTo(new StreamAggregate(agg.getCluster(), agg.getTraitSet().replace(StreamRel.STREAM), input,
        agg.getRowType(), spec, description));
  }
}
