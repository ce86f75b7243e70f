package io.freshet.planner.rules;

import io.freshet.planner.rel.StreamCalc;
import io.freshet.planner.rel.StreamRel;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalCalc;

/**
 * Converts a Calc over a stream into a {@link StreamCalc}, refusing a function the runtime lacks. A Calc that
 * computes an array is the left side of an UNNEST ({@link StreamSplitRule}); one over an OVER window is a Top-N's
 * ({@link StreamWindowRankRule}); one between SESSION and its GROUP BY belongs to the session aggregation
 * ({@link StreamSessionAggregateRule}).
 */
public final class StreamCalcRule extends RelRule<StreamRuleConfig<StreamCalcRule>> {

  public static final StreamRuleConfig<StreamCalcRule> DEFAULT = StreamRuleConfig.of("StreamCalcRule",
      StreamCalcRule::new,
      b0 -> b0.operand(LogicalCalc.class).predicate(calc -> !UnnestSplit.computesArray(calc))
          .oneInput(b1 -> b1.operand(StreamRel.class).anyInputs()));

  StreamCalcRule(StreamRuleConfig<StreamCalcRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalCalc calc = call.rel(0);
    call.transformTo(new StreamCalc(calc.getCluster(), calc.getTraitSet().replace(StreamRel.STREAM),
        calc.getInput(), calc.getProgram()));
  }
}
