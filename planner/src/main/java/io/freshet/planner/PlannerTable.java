package io.freshet.planner;

import io.freshet.exec.types.RowSchema;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.sql.SqlNode;

/**
 * What the planner needs to know of a catalog entry: its name (qualified by a schema, {@code nexmark.bid}, or
 * not), columns, whether it ends, its event-time column and watermark (null when it has none), and after how long
 * without rows it stops holding back the watermark (0: never), and its primary key (the columns of {@code PRIMARY KEY
 * (...) NOT ENFORCED}, empty when it declares none), which makes a stream with event time a versioned table: each row
 * is the version of its key from its time on, which a temporal join ({@code FOR SYSTEM_TIME AS OF}) looks up.
 *
 * @param watermarkExpression the watermark expression as the DDL wrote it, for EXPLAIN
 * @param watermark the same expression parsed, a new node each call (the planner validates, and so may rewrite,
 *     the node it gets): the planner parses no SQL text, the dialect's parser is the caller's
 */
public record PlannerTable(String name, RowSchema schema, boolean bounded, String eventTimeColumn,
    String watermarkExpression, Supplier<SqlNode> watermark, long idleTimeoutMs, List<String> primaryKey,
    List<ProcessingTimeColumn> processingTime) {

  /**
   * A column computed as {@code PROCTIME()} (a processing-time attribute) at {@code position} among the columns a
   * query sees; {@link #schema} holds the others, which the source reads.
   */
  public record ProcessingTimeColumn(String name, int position) { }

  public PlannerTable {
    primaryKey = List.copyOf(primaryKey);
    processingTime = processingTime == null ? List.of() : List.copyOf(processingTime);
  }

  /** A table without processing-time columns. */
  public PlannerTable(String name, RowSchema schema, boolean bounded, String eventTimeColumn,
      String watermarkExpression, Supplier<SqlNode> watermark, long idleTimeoutMs, List<String> primaryKey) {
    this(name, schema, bounded, eventTimeColumn, watermarkExpression, watermark, idleTimeoutMs, primaryKey,
        List.of());
  }

  /** A table without a primary key. */
  public PlannerTable(String name, RowSchema schema, boolean bounded, String eventTimeColumn,
      String watermarkExpression, Supplier<SqlNode> watermark, long idleTimeoutMs) {
    this(name, schema, bounded, eventTimeColumn, watermarkExpression, watermark, idleTimeoutMs, List.of());
  }

  /** A table without event time. */
  public PlannerTable(String name, RowSchema schema, boolean bounded) {
    this(name, schema, bounded, null, null, null, 0);
  }

  /** Whether a temporal join can look up its versions: it has a primary key and event time. */
  public boolean versioned() {
    return !primaryKey.isEmpty() && eventTimeColumn != null;
  }
}
