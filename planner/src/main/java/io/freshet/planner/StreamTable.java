package io.freshet.planner;

import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.schema.TemporalTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql2rel.InitializerContext;
import org.apache.calcite.sql2rel.InitializerExpressionFactory;
import org.apache.calcite.sql2rel.NullInitializerExpressionFactory;

/**
 * A catalog entry as Calcite sees it: a table with the stream's columns. Freshet, not Calcite, reads it. A versioned
 * table ({@link PlannerTable#versioned}) is a {@link Versioned} one, which Calcite lets a query read {@code FOR
 * SYSTEM_TIME AS OF} a time. A processing-time column ({@code p_time AS PROCTIME()}) is a virtual column: the source
 * does not read it, and Calcite computes it over each scan as {@code PROCTIME()}.
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
    RelDataType stored = Types.toCalcite(table.schema(), typeFactory);
    if (table.processingTime().isEmpty()) {
      return stored;
    }
    RelDataTypeFactory.Builder columns = typeFactory.builder();
    int next = 0;
    for (int position = 0; position < stored.getFieldCount() + table.processingTime().size(); position++) {
      PlannerTable.ProcessingTimeColumn computed = processingTimeAt(position);
      if (computed != null) {
        columns.add(computed.name(), typeFactory.createSqlType(SqlTypeName.TIMESTAMP, 3));
      } else {
        columns.add(stored.getFieldList().get(next++));
      }
    }
    return columns.build();
  }

  private PlannerTable.ProcessingTimeColumn processingTimeAt(int position) {
    for (PlannerTable.ProcessingTimeColumn c : table.processingTime()) {
      if (c.position() == position) {
        return c;
      }
    }
    return null;
  }

  /** Its processing-time columns are virtual ones, computed as PROCTIME() where a query reads the table. */
  @Override
  public <C> C unwrap(Class<C> type) {
    if (type == InitializerExpressionFactory.class && !table.processingTime().isEmpty()) {
      return type.cast(new NullInitializerExpressionFactory() {
        @Override
        public ColumnStrategy generationStrategy(RelOptTable t, int column) {
          return processingTimeAt(column) != null ? ColumnStrategy.VIRTUAL : super.generationStrategy(t, column);
        }

        @Override
        public RexNode newColumnDefaultValue(RelOptTable t, int column, InitializerContext context) {
          return processingTimeAt(column) != null ? context.getRexBuilder().makeCall(FlinkFunctions.PROCTIME)
              : super.newColumnDefaultValue(t, column, context);
        }
      });
    }
    return super.unwrap(type);
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
