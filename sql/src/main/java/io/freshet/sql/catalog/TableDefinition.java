package io.freshet.sql.catalog;

import io.freshet.exec.types.RowSchema;
import io.freshet.planner.PlannerTable;
import io.freshet.sql.parser.FreshetParser;
import java.util.List;
import java.util.Map;

/**
 * A stream or table in the catalog: its connector and options, the columns the user declared (null when the
 * connector's own schema is used), the resolved schema (null for a sink table declared without columns until a
 * query writes into it), the watermark (null when none), the primary key's columns (empty when none) and the
 * computed columns ({@code p_time AS PROCTIME()}, empty when none).
 */
public record TableDefinition(
    String name,
    TableKind kind,
    String connector,
    Map<String, String> options,
    RowSchema declaredColumns,
    RowSchema schema,
    Watermark watermark,
    boolean bounded,
    List<String> primaryKey,
    List<ComputedColumn> computedColumns) {

  public TableDefinition {
    options = Map.copyOf(options);
    primaryKey = List.copyOf(primaryKey);
    computedColumns = computedColumns == null ? List.of() : List.copyOf(computedColumns);
  }

  /** A definition without computed columns. */
  public TableDefinition(String name, TableKind kind, String connector, Map<String, String> options,
      RowSchema declaredColumns, RowSchema schema, Watermark watermark, boolean bounded, List<String> primaryKey) {
    this(name, kind, connector, options, declaredColumns, schema, watermark, bounded, primaryKey, List.of());
  }

  /** A definition without a primary key. */
  public TableDefinition(String name, TableKind kind, String connector, Map<String, String> options,
      RowSchema declaredColumns, RowSchema schema, Watermark watermark, boolean bounded) {
    this(name, kind, connector, options, declaredColumns, schema, watermark, bounded, List.of());
  }

  /** This definition with the columns {@code columns} (a sink table declared without any takes its query's). */
  public TableDefinition withSchema(RowSchema columns) {
    return new TableDefinition(name, kind, connector, options, declaredColumns, columns, watermark, bounded,
        primaryKey, computedColumns);
  }

  /** This definition with the primary key {@code columns}. */
  public TableDefinition withPrimaryKey(List<String> columns) {
    return new TableDefinition(name, kind, connector, options, declaredColumns, schema, watermark, bounded, columns,
        computedColumns);
  }

  /** This definition with the computed columns {@code columns} ({@code p_time AS PROCTIME()}). */
  public TableDefinition withComputedColumns(List<ComputedColumn> columns) {
    return new TableDefinition(name, kind, connector, options, declaredColumns, schema, watermark, bounded, primaryKey,
        columns);
  }

  /** Whether option {@code key} is given (ignoring case). */
  public boolean hasOption(String key) {
    return option(options, key) != null;
  }

  /** The value of option {@code key} among {@code options} (names match ignoring case), or null. */
  public static String option(Map<String, String> options, String key) {
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  public PlannerTable toPlannerTable() {
    List<PlannerTable.ProcessingTimeColumn> processingTime = computedColumns.stream()
        .map(c -> new PlannerTable.ProcessingTimeColumn(c.name(), c.position())).toList();
    if (watermark == null) {
      return new PlannerTable(name, schema, bounded, null, null, null, idleTimeoutMs(), primaryKey, processingTime);
    }
    return new PlannerTable(name, schema, bounded, watermark.column(), watermark.expression(),
        () -> FreshetParser.parseExpression(watermark.expression()), idleTimeoutMs(), primaryKey, processingTime);
  }

  /** The options without {@code connector}, as the connector sees them. */
  public Map<String, String> connectorOptions() {
    java.util.Map<String, String> copy = new java.util.LinkedHashMap<>(options);
    copy.keySet().removeIf(k -> k.equalsIgnoreCase("connector") || k.equalsIgnoreCase(OUTPUT_MODE)
        || k.equalsIgnoreCase(IDLE_TIMEOUT));
    return copy;
  }

  /** The option of a stream after which, without new rows, it stops holding back the watermark. */
  public static final String IDLE_TIMEOUT = "idle-timeout";

  /** This stream's {@code 'idle-timeout'} in milliseconds, or 0 when it has none. */
  public long idleTimeoutMs() {
    String timeout = option(options, IDLE_TIMEOUT);
    return timeout == null ? 0
        : ((io.freshet.streaming.Trigger.ProcessingTime) io.freshet.streaming.Trigger.ProcessingTime(timeout))
            .intervalMs();
  }

  /** The option of a sink table that fixes the output mode of the queries writing into it. */
  public static final String OUTPUT_MODE = "output-mode";

  /** This sink table's {@code 'output-mode'} option, or null. */
  public String outputMode() {
    return option(options, OUTPUT_MODE);
  }
}
