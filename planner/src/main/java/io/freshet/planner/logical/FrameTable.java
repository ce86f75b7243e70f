package io.freshet.planner.logical;

import io.freshet.planner.Types;
import io.freshet.streaming.FreshetException;
import java.util.function.Function;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A {@link DatasetView} as Calcite sees it: a table whose relational expression is the Dataset's logical plan, which
 * {@code builder} builds in the cluster of the query that reads it.
 */
public final class FrameTable extends AbstractTable implements TranslatableTable {
  private final DatasetView view;
  private final Function<Frame, RelNode> builder;

  public FrameTable(DatasetView view, Function<Frame, RelNode> builder) {
    this.view = view;
    this.builder = builder;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return Types.toCalcite(view.schema(), typeFactory);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable table) {
    RelNode rel = builder.apply(view.frame());
    RelDataType declared = table.getRowType();
    if (rel.getRowType().getFieldCount() != declared.getFieldCount()) {
      throw FreshetException.user("The view " + view.name() + " of a Dataset had columns " + view.schema().names()
          + ", but what it reads now gives " + rel.getRowType().getFieldNames() + " (a stream or table it reads was "
          + "replaced); createOrReplaceTempView(\"" + view.name() + "\") again, or DROP VIEW " + view.name());
    }
    // The view's columns as declared (its plan may type a literal or a name more narrowly).
    return RelOptUtil.areRowTypesEqual(rel.getRowType(), declared, false) ? rel
        : RelOptUtil.createCastRel(rel, declared, true);
  }
}
