package io.freshet.planner.rel;

import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.SplitOperator;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * {@code CROSS JOIN UNNEST(SPLIT(s, 'delimiter'))}, which Calcite plans as a correlated join of a Calc that computes
 * the array with an unnest of it. Its input is that Calc with {@code s} in the array's place; it splits {@code s}
 * into a row per piece ({@link SplitOperator}), and when the unnested side filters or computes, a Calc keeps the
 * input's columns and adds its own. Its row type is the join's (the array column included, though the runtime
 * carries the string there); the input's columns keep their time attributes.
 */
public final class StreamSplit extends SingleStreamRel {
  private final SplitOperator.Spec split;
  /** The unnested side's filter and projections after the input's columns, or null. */
  private final CalcOperator.Spec after;

  public StreamSplit(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType,
      SplitOperator.Spec split, CalcOperator.Spec after) {
    super(cluster, traits, input, rowType);
    this.split = split;
    this.after = after;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamSplit(getCluster(), traitSet, sole(inputs), rowType, split, after);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("split", split.describe())
        .itemIf("after", after == null ? null : after.describe(), after != null);
  }

  @Override
  public int implement(StreamImplementor implementor) {
    int pieces = implementor.node(split, implementor.visitInput(this, 0));
    return after == null ? pieces : implementor.node(after, pieces);
  }

  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    return input.padTo(rowType.getFieldCount());
  }
}
