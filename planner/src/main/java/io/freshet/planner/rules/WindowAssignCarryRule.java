package io.freshet.planner.rules;

import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamCalc;
import io.freshet.planner.rel.StreamWindowAssign;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLocalRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexProgramBuilder;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Narrows a window assignment to the input columns that the Calc over it reads, so that the window carries (and a
 * hop copies into each of its windows) only those: the projection pushed into the window, as Calcite's
 * project-into-scan rules push one into a table scan.
 */
public final class WindowAssignCarryRule extends RelRule<StreamRuleConfig<WindowAssignCarryRule>> {

  public static final StreamRuleConfig<WindowAssignCarryRule> DEFAULT = StreamRuleConfig.of(
      "WindowAssignCarryRule", WindowAssignCarryRule::new,
      b0 -> b0.operand(StreamCalc.class).oneInput(b1 -> b1.operand(StreamWindowAssign.class).anyInputs()));

  WindowAssignCarryRule(StreamRuleConfig<WindowAssignCarryRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    StreamCalc calc = call.rel(0);
    StreamWindowAssign window = call.rel(1);
    WindowAssignOperator.Spec spec = window.spec();
    int width = spec.carried().length;
    int[] read = readColumns(calc.getProgram()).asList().stream().filter(c -> c < width)
        .mapToInt(Integer::intValue).toArray();
    if (read.length == width) {
      return;
    }
    // Where each column of the window's output goes: read carried columns close up, the window columns follow.
    int[] mapping = new int[width + 3];
    Arrays.fill(mapping, -1);
    List<RelDataTypeField> fields = window.getRowType().getFieldList();
    List<RelDataTypeField> kept = new ArrayList<>();
    int[] carried = new int[read.length];
    for (int i = 0; i < read.length; i++) {
      mapping[read[i]] = i;
      carried[i] = spec.carried()[read[i]];
      kept.add(fields.get(read[i]));
    }
    for (int j = 0; j < 3; j++) {
      mapping[width + j] = read.length + j;
      kept.add(fields.get(width + j));
    }
    RelDataType rowType = calc.getCluster().getTypeFactory().createStructType(kept);
    WindowAssignOperator.Spec narrowed = new WindowAssignOperator.Spec(spec.timeColumn(), spec.sizeMs(),
        spec.slideMs(), spec.offsetMs(), carried, Types.toSchema(rowType), spec.cumulative());
    StreamWindowAssign narrowWindow = new StreamWindowAssign(window.getCluster(), window.getTraitSet(),
        window.getInput(), rowType, narrowed);
    call.transformTo(new StreamCalc(calc.getCluster(), calc.getTraitSet(), narrowWindow,
        remap(calc, rowType, mapping)));
  }

  private static ImmutableBitSet readColumns(RexProgram program) {
    List<RexNode> expressions = new ArrayList<>();
    for (RexLocalRef project : program.getProjectList()) {
      expressions.add(program.expandLocalRef(project));
    }
    if (program.getCondition() != null) {
      expressions.add(program.expandLocalRef(program.getCondition()));
    }
    return RelOptUtil.InputFinder.bits(expressions, null);
  }

  /** The Calc's program over an input of type {@code input}, column i of the old input being column mapping[i]. */
  private static RexProgram remap(StreamCalc calc, RelDataType input, int[] mapping) {
    RexProgram program = calc.getProgram();
    RexShuttle shuttle = new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return new RexInputRef(mapping[ref.getIndex()], ref.getType());
      }
    };
    RexProgramBuilder builder = new RexProgramBuilder(input, calc.getCluster().getRexBuilder());
    List<String> names = program.getOutputRowType().getFieldNames();
    for (int i = 0; i < names.size(); i++) {
      builder.addProject(program.expandLocalRef(program.getProjectList().get(i)).accept(shuttle), names.get(i));
    }
    if (program.getCondition() != null) {
      builder.addCondition(program.expandLocalRef(program.getCondition()).accept(shuttle));
    }
    return builder.getProgram(false);
  }
}
