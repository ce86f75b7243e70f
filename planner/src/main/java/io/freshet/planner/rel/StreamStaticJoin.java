package io.freshet.planner.rel;

import io.freshet.exec.join.StaticJoinOperator;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.type.RelDataType;

/**
 * A stream joined with a static table ({@link StaticJoinOperator}): a node over the stream alone, since the table is
 * read by the operator when the query starts rather than streamed. The stream's columns keep their event time, as
 * each stream row is joined when it comes. A semi or anti join ({@code IN}/{@code EXISTS} over the table) has the
 * stream's columns only.
 */
public final class StreamStaticJoin extends SingleRel implements StreamRel {
  private final StaticJoinOperator.Spec spec;
  private final TimeAttributes timeAttributes;

  public StreamStaticJoin(RelOptCluster cluster, RelTraitSet traits, RelNode stream, RelDataType rowType,
      StaticJoinOperator.Spec spec) {
    super(cluster, traits, stream);
    this.rowType = rowType;
    this.spec = spec;
    TimeAttributes streamTimes = StreamRel.timeAttributesOf(stream);
    List<TimeAttribute> columns = new ArrayList<>();
    // A semi or anti join passes the stream's rows as they are: its columns are the stream's.
    int tableWidth = spec.type().leftOnly() ? 0 : spec.joinedTableSchema().size();
    if (!spec.streamLeft()) {
      columns.addAll(TimeAttributes.none(tableWidth).asList());
    }
    columns.addAll(streamTimes.asList());
    if (spec.streamLeft()) {
      columns.addAll(TimeAttributes.none(tableWidth).asList());
    }
    this.timeAttributes = TimeAttributes.of(columns);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamStaticJoin(getCluster(), traitSet, inputs.get(0), rowType, spec);
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
    return implementor.node(spec, implementor.visitInput(this, 0));
  }

  @Override
  public TimeAttributes timeAttributes() {
    return timeAttributes;
  }
}
