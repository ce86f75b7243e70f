package io.freshet.planner.rel;

import io.freshet.exec.window.OverAggregateOperator;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * An OVER aggregation ordered by event time, one {@link OverAggregateOperator}: each input row, once the watermark
 * passes its time, with the aggregates of its frame appended. Its rows are hashed on the PARTITION BY columns. It
 * emits rows in order of time as the watermark passes them, none older than the watermark its input had, so the
 * input's columns keep their time attributes; the aggregates have none.
 */
public final class StreamOverAggregate extends SingleStreamRel {
  private final OverAggregateOperator.Spec spec;

  /** @param rowType the input's columns, then the aggregates */
  public StreamOverAggregate(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType,
      OverAggregateOperator.Spec spec) {
    super(cluster, traits, input, rowType);
    this.spec = spec;
  }

  public OverAggregateOperator.Spec spec() {
    return spec;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamOverAggregate(getCluster(), traitSet, sole(inputs), rowType, spec);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("over", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    return implementor.node(spec, spec.partition(), implementor.visitInput(this, 0));
  }

  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    return input.padTo(rowType.getFieldCount()).withoutProcessingTime();
  }
}
