package io.freshet.planner.rules;

import io.freshet.planner.StreamTable;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamTableScan;
import io.freshet.streaming.FreshetException;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalTableScan;

/** Converts a scan of a catalog stream or table into a {@link StreamTableScan}. */
public final class StreamTableScanRule extends RelRule<StreamRuleConfig<StreamTableScanRule>> {

  public static final StreamRuleConfig<StreamTableScanRule> DEFAULT = StreamRuleConfig.of("StreamTableScanRule",
      StreamTableScanRule::new, b0 -> b0.operand(LogicalTableScan.class).noInputs());

  StreamTableScanRule(StreamRuleConfig<StreamTableScanRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalTableScan scan = call.rel(0);
    if (scan.getTable().unwrap(StreamTable.class) == null) {
      throw FreshetException.user("Cannot read " + scan.getTable().getQualifiedName());
    }
    call.transformTo(new StreamTableScan(scan.getCluster(), scan.getTraitSet().replace(StreamRel.STREAM),
        scan.getTable()));
  }
}
