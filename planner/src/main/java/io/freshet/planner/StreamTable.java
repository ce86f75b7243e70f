package io.freshet.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TemporalTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A catalog entry as Calcite sees it: a table with the stream's columns. Freshet, not Calcite, reads it. A versioned
 * table ({@link PlannerTable#versioned}) is a {@link Versioned} one, which Calcite lets a query read {@code FOR
 * SYSTEM_TIME AS OF} a time.
 */
public class StreamTable extends AbstractTable {
  private final PlannerTable table;

  private StreamTable(PlannerTable table) {
    this.table = table;
  }

  /** The table Calcite sees for {@code table}. */
  static StreamTable of(PlannerTable table) {
    return table.versioned() ? new Versioned(table) : table.bounded() ? new Static(table) : new StreamTable(table);
  }

  public PlannerTable table() {
    return table;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return Types.toCalcite(table.schema(), typeFactory);
  }

  /**
   * A static table (a bounded input that is not versioned), which a lookup join reads {@code FOR SYSTEM_TIME AS OF}
   * a processing time: its contents then, which no column stamps.
   */
  static final class Static extends StreamTable implements TemporalTable {
    private Static(PlannerTable table) {
      super(table);
    }

    @Override
    public String getSysStartFieldName() {
      return "";
    }

    @Override
    public String getSysEndFieldName() {
      return "";
    }
  }

  /** A stream with a primary key and event time: each row is its key's version from its event time on. */
  static final class Versioned extends StreamTable implements TemporalTable {
    private Versioned(PlannerTable table) {
      super(table);
    }

    /** A version starts at its row's event time. */
    @Override
    public String getSysStartFieldName() {
      return table().eventTimeColumn();
    }

    /** A version ends where the next of its key starts, which no column holds. */
    @Override
    public String getSysEndFieldName() {
      return "";
    }
  }
}
