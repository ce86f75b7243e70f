package io.freshet.planner.rules;

import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamUnion;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalUnion;

/** Converts UNION ALL of streams into a {@link StreamUnion}, once every input is a stream node. */
public final class StreamUnionRule extends RelRule<StreamRuleConfig<StreamUnionRule>> {

  public static final StreamRuleConfig<StreamUnionRule> DEFAULT = StreamRuleConfig.of("StreamUnionRule",
      StreamUnionRule::new, b0 -> b0.operand(LogicalUnion.class).predicate(u -> u.all).unorderedInputs(
          b1 -> b1.operand(StreamRel.class).anyInputs()));

  StreamUnionRule(StreamRuleConfig<StreamUnionRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalUnion union = call.rel(0);
    for (RelNode input : union.getInputs()) {
      if (!(input.stripped() instanceof StreamRel)) {
        return;
      }
    }
    call.transformTo(new StreamUnion(union.getCluster(), union.getTraitSet().replace(StreamRel.STREAM),
        union.getInputs()));
  }
}
