package io.freshet.planner.rel;

import io.freshet.exec.operator.SortLimitOperator;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;

/**
 * ORDER BY, LIMIT and OFFSET of a query, one {@link SortLimitOperator} in one partition (all rows meet there, so
 * that the count and the order are global). Its columns are its input's, with their time attributes.
 */
public final class StreamSort extends SingleStreamRel {
  private final SortLimitOperator.Spec spec;

  public StreamSort(RelOptCluster cluster, RelTraitSet traits, RelNode input, SortLimitOperator.Spec spec) {
    super(cluster, traits, input, input.getRowType());
    this.spec = spec;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamSort(getCluster(), traitSet, sole(inputs), spec);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("sort", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    return implementor.node(spec, new int[0], implementor.visitInput(this, 0));
  }

  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    return input.withoutProcessingTime();
  }
}
