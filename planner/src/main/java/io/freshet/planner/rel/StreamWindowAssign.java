package io.freshet.planner.rel;

import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.planner.rel.TimeAttribute.Kind;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * TUMBLE, HOP or CUMULATE: each row in the window(s) its event time falls in, with some of the input's columns
 * ({@code carry}) and then window_start, window_end and window_time, which are bounds of this node's windows.
 */
public final class StreamWindowAssign extends SingleStreamRel {
  private final WindowAssignOperator.Spec spec;

  /** @param rowType the carried input columns, then window_start, window_end and window_time */
  public StreamWindowAssign(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType,
      WindowAssignOperator.Spec spec) {
    super(cluster, traits, input, rowType);
    this.spec = spec;
  }

  public WindowAssignOperator.Spec spec() {
    return spec;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamWindowAssign(getCluster(), traitSet, sole(inputs), rowType, spec);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("window", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    int id = implementor.node(spec, implementor.visitInput(this, 0));
    if (overProcessingTime()) {
      implementor.processingTime(id);
    }
    return id;
  }

  /** Whether its DESCRIPTOR names a processing-time column: its windows end by the clock, not the watermark. */
  public boolean overProcessingTime() {
    return StreamRel.timeAttributesOf(getInput()).get(spec.timeColumn()).isProcessingTime();
  }

  /** Bounds of its windows: of one size, or for CUMULATE of growing sizes up to the largest. */
  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    boolean processing = input.get(spec.timeColumn()).isProcessingTime();
    List<TimeAttribute> bounds = new ArrayList<>();
    for (Kind kind : new Kind[] {Kind.WINDOW_START, Kind.WINDOW_END, Kind.WINDOW_TIME}) {
      TimeAttribute bound = spec.cumulative() ? TimeAttribute.growingWindowBound(kind, spec.sizeMs(), getId())
          : TimeAttribute.windowBound(kind, spec.sizeMs(), getId());
      bounds.add(processing ? bound.overProcessingTime() : bound);
    }
    return input.select(spec.carried()).append(bounds);
  }
}
