package io.freshet.planner;

import io.freshet.exec.types.RowSchema;

/**
 * What the planner needs to know of a catalog entry: its name (qualified by a schema, {@code nexmark.bid}, or
 * not), columns, whether it ends, and its event-time column and watermark expression (null when it has none).
 */
public record PlannerTable(String name, RowSchema schema, boolean bounded, String eventTimeColumn,
    String watermarkExpression) {
}
