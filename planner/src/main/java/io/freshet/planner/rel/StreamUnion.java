package io.freshet.planner.rel;

import io.freshet.exec.operator.UnionOperator;
import io.freshet.planner.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Union;

/**
 * UNION ALL of streams with the same columns: a chain of {@link UnionOperator}s, each passing its inputs' batches
 * on. A column is the row time of the result where it is the row time of every input (a processing time where it
 * is one in every input); the watermark is the
 * query's, the minimum over its sources.
 */
public final class StreamUnion extends Union implements StreamRel {
  private final TimeAttributes timeAttributes;

  public StreamUnion(RelOptCluster cluster, RelTraitSet traits, List<RelNode> inputs) {
    super(cluster, traits, List.of(), inputs, true);
    List<TimeAttribute> columns = new ArrayList<>();
    int width = inputs.get(0).getRowType().getFieldCount();
    for (int c = 0; c < width; c++) {
      boolean rowtime = true;
      boolean proctime = true;
      for (RelNode input : inputs) {
        rowtime &= StreamRel.timeAttributesOf(input).get(c).kind() == TimeAttribute.Kind.ROWTIME;
        proctime &= StreamRel.timeAttributesOf(input).get(c).kind() == TimeAttribute.Kind.PROCTIME;
      }
      columns.add(rowtime ? TimeAttribute.ROWTIME : proctime ? TimeAttribute.PROCTIME : TimeAttribute.NONE);
    }
    this.timeAttributes = TimeAttributes.of(columns);
  }

  @Override
  public SetOp copy(RelTraitSet traitSet, List<RelNode> inputs, boolean all) {
    return new StreamUnion(getCluster(), traitSet, inputs);
  }

  @Override
  public int implement(StreamImplementor implementor) {
    UnionOperator.Spec spec = new UnionOperator.Spec(Types.toSchema(getRowType()));
    int id = implementor.visitInput(this, 0);
    for (int i = 1; i < getInputs().size(); i++) {
      id = implementor.node(spec, id, implementor.visitInput(this, i));
    }
    return id;
  }

  @Override
  public TimeAttributes timeAttributes() {
    return timeAttributes;
  }
}
