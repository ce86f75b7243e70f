package io.freshet.planner.rel;

import io.freshet.exec.join.IntervalJoinOperator;
import io.freshet.exec.plan.Distribution;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.BiRel;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;

/**
 * An interval join of two streams, one {@link IntervalJoinOperator} whose inputs are hashed on their join keys.
 * The output keeps both inputs' row times as event time when the bounds are fixed intervals (the operator then
 * holds the watermark back by the longest of them); with a bound read from a column, such as an auction's
 * {@code expires}, no time is known to keep up with the watermark and the output has no event time.
 */
public final class StreamJoin extends BiRel implements StreamRel {
  private final IntervalJoinOperator.Spec spec;
  private final boolean keepsTime;
  private final TimeAttributes timeAttributes;

  public StreamJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right,
      org.apache.calcite.rel.type.RelDataType rowType, IntervalJoinOperator.Spec spec, boolean keepsTime) {
    super(cluster, traits, left, right);
    this.rowType = rowType;
    this.spec = spec;
    this.keepsTime = keepsTime;
    List<TimeAttribute> columns = new ArrayList<>();
    TimeAttributes l = StreamRel.timeAttributesOf(left);
    TimeAttributes r = StreamRel.timeAttributesOf(right);
    for (int i = 0; i < l.size(); i++) {
      columns.add(keepsTime && i == spec.leftTime() ? TimeAttribute.ROWTIME : TimeAttribute.NONE);
    }
    for (int i = 0; i < r.size(); i++) {
      columns.add(keepsTime && i == spec.rightTime() ? TimeAttribute.ROWTIME : TimeAttribute.NONE);
    }
    this.timeAttributes = TimeAttributes.of(columns);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamJoin(getCluster(), traitSet, inputs.get(0), inputs.get(1), rowType, spec, keepsTime);
  }

  @Override
  protected org.apache.calcite.rel.type.RelDataType deriveRowType() {
    return rowType;
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("join", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    int left = implementor.visitInput(this, 0);
    int right = implementor.visitInput(this, 1);
    return implementor.node(spec, Distribution.hashEach(spec.leftKeys(), spec.rightKeys()), left, right);
  }

  @Override
  public TimeAttributes timeAttributes() {
    return timeAttributes;
  }
}
