package io.freshet.planner.rules;

import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamWindowAssign;
import io.freshet.streaming.FreshetException;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rex.RexNode;

/**
 * Converts TUMBLE, HOP and CUMULATE over a stream into a {@link StreamWindowAssign} carrying all of the input's
 * columns ({@link WindowAssignCarryRule} then narrows it to those read above). The DESCRIPTOR must name an
 * event-time column; a hop's size must be a whole multiple of its slide, a cumulating window's of its step.
 */
public final class StreamWindowAssignRule extends RelRule<StreamRuleConfig<StreamWindowAssignRule>> {

  public static final StreamRuleConfig<StreamWindowAssignRule> DEFAULT = StreamRuleConfig.of(
      "StreamWindowAssignRule", StreamWindowAssignRule::new,
      b0 -> b0.operand(LogicalTableFunctionScan.class).predicate(scan -> !WindowArguments.isSession(scan))
          .oneInput(b1 -> b1.operand(StreamRel.class).anyInputs()));

  StreamWindowAssignRule(StreamRuleConfig<StreamWindowAssignRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalTableFunctionScan scan = call.rel(0);
    RelNode input = scan.getInputs().get(0);
    String function = WindowArguments.function(scan);
    int time = WindowArguments.timeColumn(scan, input);
    List<RexNode> args = WindowArguments.call(scan).getOperands();
    long size;
    long slide;
    long offset;
    if (function.equals("TUMBLE")) {
      size = WindowArguments.interval(scan, 1, "size");
      slide = size;
      offset = args.size() > 2 ? WindowArguments.interval(scan, 2, "offset") : 0;
    } else if (function.equals("HOP")) {
      slide = WindowArguments.interval(scan, 1, "slide");
      size = WindowArguments.interval(scan, 2, "size");
      offset = args.size() > 3 ? WindowArguments.interval(scan, 3, "offset") : 0;
      if (size % slide != 0) {
        throw FreshetException.user("HOP's size (" + size + " ms) must be a whole multiple of its slide (" + slide
            + " ms), as in Flink");
      }
    } else if (function.equals("CUMULATE")) {
      slide = WindowArguments.interval(scan, 1, "step");
      size = WindowArguments.interval(scan, 2, "size");
      offset = args.size() > 3 ? WindowArguments.interval(scan, 3, "offset") : 0;
      if (size % slide != 0) {
        throw FreshetException.user("CUMULATE's size (" + size + " ms) must be a whole multiple of its step (" + slide
            + " ms), as in Flink; e.g. CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' HOUR)");
      }
    } else {
      throw FreshetException.user("Unsupported table function " + function);
    }
    int[] carried = IntStream.range(0, input.getRowType().getFieldCount()).toArray();
    WindowAssignOperator.Spec spec = new WindowAssignOperator.Spec(time, size, slide, offset, carried,
        Types.toSchema(scan.getRowType()), function.equals("CUMULATE"));
    call.transformTo(new StreamWindowAssign(scan.getCluster(), scan.getTraitSet().replace(StreamRel.STREAM), input,
        scan.getRowType(), spec));
  }
}
