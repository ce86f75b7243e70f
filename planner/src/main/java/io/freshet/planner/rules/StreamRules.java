package io.freshet.planner.rules;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;

/** The rules that convert a logical plan into the streaming convention, and the program that runs them. */
public final class StreamRules {
  private StreamRules() {
  }

  public static final StreamTableScanRule TABLE_SCAN = StreamTableScanRule.DEFAULT.toRule();
  public static final StreamCalcRule CALC = StreamCalcRule.DEFAULT.toRule();
  public static final StreamSplitRule SPLIT = StreamSplitRule.DEFAULT.toRule();
  public static final StreamWindowAssignRule WINDOW_ASSIGN = StreamWindowAssignRule.DEFAULT.toRule();
  public static final WindowAssignCarryRule WINDOW_ASSIGN_CARRY = WindowAssignCarryRule.DEFAULT.toRule();
  public static final StreamAggregateRule AGGREGATE = StreamAggregateRule.DEFAULT.toRule();
  public static final StreamSessionAggregateRule SESSION_AGGREGATE = StreamSessionAggregateRule.DEFAULT.toRule();
  public static final StreamSessionAggregateRule SESSION_AGGREGATE_WITH_CALC =
      StreamSessionAggregateRule.WITH_CALC.toRule();
  public static final StreamWindowRankRule WINDOW_RANK = StreamWindowRankRule.DEFAULT.toRule();
  public static final StreamOverAggregateRule OVER_AGGREGATE = StreamOverAggregateRule.DEFAULT.toRule();
  public static final StreamJoinRule JOIN = StreamJoinRule.DEFAULT.toRule();
  public static final StreamTemporalJoinRule TEMPORAL_JOIN = StreamTemporalJoinRule.DEFAULT.toRule();
  public static final StreamSemiJoinRule SEMI_JOIN = StreamSemiJoinRule.DEFAULT.toRule();
  public static final StreamUnionRule UNION = StreamUnionRule.DEFAULT.toRule();
  public static final StreamSortRule SORT = StreamSortRule.DEFAULT.toRule();

  public static final List<RelOptRule> ALL = List.of(TABLE_SCAN, CALC, SPLIT, WINDOW_ASSIGN, WINDOW_ASSIGN_CARRY,
      AGGREGATE, SESSION_AGGREGATE, SESSION_AGGREGATE_WITH_CALC, WINDOW_RANK, OVER_AGGREGATE, JOIN, TEMPORAL_JOIN,
      UNION, SORT, SEMI_JOIN);

  /**
   * Every rule, bottom up: a node is converted once its inputs are, so a rule reads its input's time attributes,
   * and a refusal that depends on the input comes from the lowest node that has one. Each logical node has one
   * streaming form and there is no cost to weigh, so a {@link org.apache.calcite.plan.hep.HepPlanner} suffices.
   */
  public static HepProgram program() {
    return new HepProgramBuilder().addMatchOrder(HepMatchOrder.BOTTOM_UP).addRuleCollection(ALL).build();
  }
}
