package io.freshet.planner;

import io.freshet.exec.types.RowSchema;
import java.util.function.Supplier;
import org.apache.calcite.sql.SqlNode;

/**
 * What the planner needs to know of a catalog entry: its name (qualified by a schema, {@code nexmark.bid}, or
 * not), columns, whether it ends, its event-time column and watermark (null when it has none), and after how long
 * without rows it stops holding back the watermark (0: never).
 *
 * @param watermarkExpression the watermark expression as the DDL wrote it, for EXPLAIN
 * @param watermark the same expression parsed, a new node each call (the planner validates, and so may rewrite,
 *     the node it gets): the planner parses no SQL text, the dialect's parser is the caller's
 */
public record PlannerTable(String name, RowSchema schema, boolean bounded, String eventTimeColumn,
    String watermarkExpression, Supplier<SqlNode> watermark, long idleTimeoutMs) {

  /** A table without event time. */
  public PlannerTable(String name, RowSchema schema, boolean bounded) {
    this(name, schema, bounded, null, null, null, 0);
  }
}
