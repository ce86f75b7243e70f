package io.freshet.planner.rel;

import io.freshet.exec.window.WindowRankOperator;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Window Top-N, one {@link WindowRankOperator}: the input's rows ranked within each window, the best N of each kept
 * and emitted when the window closes. Its rows are hashed on the partition; the input's columns keep their time
 * attributes, the rank has none.
 */
public final class StreamWindowRank extends SingleStreamRel {
  private final WindowRankOperator.Spec spec;

  /** @param rowType the input's columns, then the rank */
  public StreamWindowRank(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType,
      WindowRankOperator.Spec spec) {
    super(cluster, traits, input, rowType);
    this.spec = spec;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamWindowRank(getCluster(), traitSet, sole(inputs), rowType, spec);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("rank", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    return implementor.node(spec, spec.partition(), implementor.visitInput(this, 0));
  }

  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    return input.padTo(rowType.getFieldCount());
  }
}
