package io.freshet.planner.rel;

import io.freshet.exec.join.TemporalJoinOperator;
import io.freshet.exec.plan.Distribution;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.BiRel;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * An event-time temporal join ({@link TemporalJoinOperator}): a stream joined with the versions of a versioned
 * table, both inputs hashed on the table's primary key. The output keeps the left row's time ({@code AS OF}) as its
 * event time: a row is emitted once the watermark passes that time, and not before the batch that moves it there.
 */
public final class StreamTemporalJoin extends BiRel implements StreamRel {
  private final TemporalJoinOperator.Spec spec;
  private final TimeAttributes timeAttributes;

  public StreamTemporalJoin(RelOptCluster cluster, RelTraitSet traits, RelNode left, RelNode right,
      RelDataType rowType, TemporalJoinOperator.Spec spec) {
    super(cluster, traits, left, right);
    this.rowType = rowType;
    this.spec = spec;
    List<TimeAttribute> columns = new ArrayList<>();
    for (int i = 0; i < spec.left().size(); i++) {
      columns.add(i == spec.leftTime() ? TimeAttribute.ROWTIME : TimeAttribute.NONE);
    }
    columns.addAll(TimeAttributes.none(spec.right().size()).asList());
    this.timeAttributes = TimeAttributes.of(columns);
  }

  public TemporalJoinOperator.Spec spec() {
    return spec;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamTemporalJoin(getCluster(), traitSet, inputs.get(0), inputs.get(1), rowType, spec);
  }

  @Override
  protected RelDataType deriveRowType() {
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
