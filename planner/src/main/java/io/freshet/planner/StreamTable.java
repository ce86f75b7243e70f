package io.freshet.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;

/** A catalog entry as Calcite sees it: a table with the stream's columns. Freshet, not Calcite, reads it. */
public final class StreamTable extends AbstractTable {
  private final PlannerTable table;

  StreamTable(PlannerTable table) {
    this.table = table;
  }

  public PlannerTable table() {
    return table;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return Types.toCalcite(table.schema(), typeFactory);
  }
}
