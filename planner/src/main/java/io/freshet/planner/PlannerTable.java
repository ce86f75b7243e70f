package io.freshet.planner;

import io.freshet.exec.types.RowSchema;

/**
 * What the planner needs to know of a catalog entry: its name (qualified by a schema, {@code nexmark.bid}, or
 * not), columns, whether it ends, its event-time column and watermark expression (null when it has none), and after
 * how long without rows it stops holding back the watermark (0: never).
 */
public record PlannerTable(String name, RowSchema schema, boolean bounded, String eventTimeColumn,
    String watermarkExpression, long idleTimeoutMs) {

  public PlannerTable(String name, RowSchema schema, boolean bounded, String eventTimeColumn,
      String watermarkExpression) {
    this(name, schema, bounded, eventTimeColumn, watermarkExpression, 0);
  }
}
