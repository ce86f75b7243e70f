package io.freshet.planner.rel;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.exec.window.SessionAggregateOperator;
import io.freshet.planner.rel.TimeAttribute.Kind;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.type.RelDataType;

/**
 * SESSION windows and the aggregation over them, fused into one {@link SessionAggregateOperator} (a session's end is
 * known only when it closes), after a filter of the input's rows when the query has a WHERE between the two (which
 * also computes the conditions of the aggregates' FILTER clauses, after the input's columns, when there are). Its
 * window_end and window_time keys are bounds of its sessions; a session has no fixed size.
 */
public final class StreamSessionAggregate extends SingleStreamRel {
  private final SessionAggregateOperator.Spec spec;
  /** The WHERE over the input's columns, or null. */
  private final Expr filter;
  /** The conditions of the aggregates' FILTERs, over the input's columns, computed after them; often none. */
  private final List<Expr> conditions;

  public StreamSessionAggregate(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelDataType rowType,
      SessionAggregateOperator.Spec spec, Expr filter, List<Expr> conditions) {
    super(cluster, traits, input, rowType);
    this.spec = spec;
    this.filter = filter;
    this.conditions = List.copyOf(conditions);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new StreamSessionAggregate(getCluster(), traitSet, sole(inputs), rowType, spec, filter, conditions);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).itemIf("filter", filter, filter != null)
        .itemIf("conditions", conditions, !conditions.isEmpty()).item("aggregate", spec.describe());
  }

  @Override
  public int implement(StreamImplementor implementor) {
    int input = implementor.visitInput(this, 0);
    if (filter != null || !conditions.isEmpty()) {
      RowSchema schema = implementor.schema(input);
      List<Expr> columns = new ArrayList<>();
      List<Column> output = new ArrayList<>(schema.columns());
      for (int i = 0; i < schema.size(); i++) {
        columns.add(new Expr.ColumnRef(i, schema.type(i)));
      }
      for (int j = 0; j < conditions.size(); j++) {
        columns.add(conditions.get(j));
        output.add(Column.of("$filter" + j, TypeKind.BOOLEAN));
      }
      input = implementor.node(new CalcOperator.Spec(filter, columns, new RowSchema(output)), input);
    }
    return implementor.node(spec, spec.keys(), input);
  }

  /** A session's end and time are bounds of its window (of no fixed size); its start closes nothing. */
  @Override
  TimeAttributes deriveTimeAttributes(TimeAttributes input) {
    List<TimeAttribute> columns = new ArrayList<>();
    for (int position : spec.layout()) {
      columns.add(switch (position) {
        case SessionAggregateOperator.WINDOW_END -> TimeAttribute.windowBound(Kind.WINDOW_END, 0, getId());
        case SessionAggregateOperator.WINDOW_TIME -> TimeAttribute.windowBound(Kind.WINDOW_TIME, 0, getId());
        default -> TimeAttribute.NONE;
      });
    }
    return TimeAttributes.of(columns).padTo(rowType.getFieldCount());
  }
}
