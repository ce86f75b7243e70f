package io.freshet.planner.rel;

import io.freshet.exec.dedup.DeduplicateOperator;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.window.TopNOperator;
import io.freshet.exec.window.WindowRankOperator;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * Top-N, one {@link WindowRankOperator} (the input's rows ranked within each window, the best N of each kept and
 * emitted when the window closes) or, without a window, one {@link TopNOperator} (the best N kept up to date). Its rows are hashed on the partition; the input's columns keep their time
 * attributes, the rank has none. The first or last row per key by event time is a {@link DeduplicateOperator}.
 */
public final class StreamWindowRank extends SingleStreamRel {
  private final OperatorFactory spec;
  private final int[] partition;

  /**
   * @param rowType the input's columns, then the rank
   * @param spec a {@link WindowRankOperator.Spec}, a {@link TopNOperator.Spec} for a Top-N without a window, or a
   *     {@link DeduplicateOperator.Spec}
   * @param partition its PARTITION BY columns, by which its input is hashed
   */
  public StreamWindowRank(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType,
      OperatorFactory spec, int[] partition) {
    super(cluster, traits, input, rowType);
    this.spec = spec;
    this.partition = partition.clone();
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamWindowRank(getCluster(), traitSet, sole(inputs), rowType, spec, partition);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("rank", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    int id = implementor.node(spec, partition, implementor.visitInput(this, 0));
    if (spec instanceof WindowRankOperator.Spec ranked
        && StreamRel.timeAttributesOf(getInput()).get(ranked.closeColumn()).processing()) {
      implementor.processingTime(id);
    }
    return id;
  }

  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    return input.padTo(rowType.getFieldCount()).withoutProcessingTime();
  }
}
