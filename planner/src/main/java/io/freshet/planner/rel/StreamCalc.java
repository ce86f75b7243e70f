package io.freshet.planner.rel;

import io.freshet.exec.operator.CalcOperator;
import io.freshet.planner.translate.CalcTranslator;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rex.RexProgram;

/**
 * A filter and projections, one {@link CalcOperator}. Its expressions are translated when the node is made, so a
 * function the runtime lacks is refused by the rule that makes it; a column that reads an input column as it is
 * keeps that column's time attribute (a renamed window_time is still a window time).
 */
public final class StreamCalc extends Calc implements StreamRel {
  private final CalcOperator.Spec spec;
  private final TimeAttributes timeAttributes;

  public StreamCalc(RelOptCluster cluster, RelTraitSet traits, RelNode input, RexProgram program) {
    this(cluster, traits, input, program, null);
  }

  /** With {@code spec} the translation of {@code program} (null: translate it). */
  private StreamCalc(RelOptCluster cluster, RelTraitSet traits, RelNode input, RexProgram program,
      CalcOperator.Spec spec) {
    super(cluster, traits, List.of(), input, program);
    this.spec = spec != null ? spec : CalcTranslator.translate(this);
    this.timeAttributes = StreamRel.timeAttributesOf(input).project(this.spec.projections());
  }

  @Override
  public Calc copy(RelTraitSet traitSet, RelNode child, RexProgram program) {
    return new StreamCalc(getCluster(), traitSet, child, program, program == getProgram() ? spec : null);
  }

  /** The filter and projections as the runtime runs them. */
  public CalcOperator.Spec spec() {
    return spec;
  }

  @Override
  public int implement(StreamImplementor implementor) {
    return implementor.node(spec, implementor.visitInput(this, 0));
  }

  @Override
  public TimeAttributes timeAttributes() {
    return timeAttributes;
  }
}
