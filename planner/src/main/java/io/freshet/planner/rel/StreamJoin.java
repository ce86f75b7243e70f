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
 * An interval or window join of two streams, one {@link IntervalJoinOperator} whose inputs are hashed on their join
 * keys. The output keeps both inputs' row times as event time when the bounds are fixed intervals (the operator then
 * holds the watermark back by the longest of them), and both inputs' window bounds in a window join; with a bound
 * read from a column, such as an auction's {@code expires}, no time is known to keep up with the watermark and the
 * output has no event time.
 */
public final class StreamJoin extends BiRel implements StreamRel {
  /** What the output keeps of its inputs' event time. */
  public enum Times {
    /** Both sides' row times (fixed bounds): the operator holds the watermark back by the longest. */
    ROW_TIMES,
    /** Both sides' window bounds (a window join), which the watermark closes as before the join. */
    WINDOWS,
    /** Nothing: a bound read from a column keeps no time in step with the watermark. */
    NONE
  }

  private final IntervalJoinOperator.Spec spec;
  private final Times keeps;
  private final TimeAttributes timeAttributes;

  public StreamJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right,
      org.apache.calcite.rel.type.RelDataType rowType, IntervalJoinOperator.Spec spec, Times keeps) {
    super(cluster, traits, left, right);
    this.rowType = rowType;
    this.spec = spec;
    this.keeps = keeps;
    List<TimeAttribute> columns = new ArrayList<>();
    keep(StreamRel.timeAttributesOf(left), spec.leftTime(), columns);
    keep(StreamRel.timeAttributesOf(right), spec.rightTime(), columns);
    this.timeAttributes = TimeAttributes.of(columns);
  }

  private void keep(TimeAttributes input, int time, List<TimeAttribute> columns) {
    for (int i = 0; i < input.size(); i++) {
      TimeAttribute a = input.get(i);
      columns.add(keeps == Times.ROW_TIMES && i == time ? TimeAttribute.ROWTIME
          : keeps == Times.WINDOWS && a.isWindowBound() ? a : TimeAttribute.NONE);
    }
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamJoin(getCluster(), traitSet, inputs.get(0), inputs.get(1), rowType, spec, keeps);
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
