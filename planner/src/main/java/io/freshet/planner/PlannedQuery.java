package io.freshet.planner;

import io.freshet.exec.aggregate.HopSlicing;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.RowKindColumnOperator;
import io.freshet.exec.operator.SortLimitOperator;
import io.freshet.exec.plan.PlanText;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A query ready to run, before its output mode is chosen: the plan as translated (every aggregation emitting
 * its changed rows), how each aggregation's GROUP BY reads (by node id, for messages), the result's columns and
 * Calcite's logical plan. {@link #plan(OutputMode)} gives the plan to run in a mode, or says why the query cannot
 * run in it. With {@code rowKinds}, the result shows each row's kind in a first column {@code op} (Flink's
 * changelog result mode).
 */
public record PlannedQuery(StreamPlan draft, Map<Integer, String> aggregates, RowSchema outputSchema,
    String logicalPlan, boolean rowKinds) {

  public PlannedQuery {
    aggregates = Map.copyOf(aggregates);
  }

  public PlannedQuery(StreamPlan draft, Map<Integer, String> aggregates, RowSchema outputSchema,
      String logicalPlan) {
    this(draft, aggregates, outputSchema, logicalPlan, false);
  }

  /** This query with each result row's kind (+I, -U, +U, -D) in a first column {@code op}. */
  public PlannedQuery withRowKinds() {
    return rowKinds ? this : new PlannedQuery(draft, aggregates, RowKindColumnOperator.Spec.over(outputSchema)
        .outputSchema(), logicalPlan, true);
  }

  /** Calcite's logical plan and the plan that runs in {@code mode} (null: the default mode), after any warnings. */
  public String explain(OutputMode mode) {
    return explain(mode, true);
  }

  /**
   * As {@link #explain(OutputMode)}, the physical plan as it runs with state kept in RocksDB ({@code pagesToDisk}) or
   * on the heap, where hopping windows may keep slices ({@link HopSlicing}).
   */
  public String explain(OutputMode mode, boolean pagesToDisk) {
    OutputMode m = mode != null ? mode : defaultMode();
    StringBuilder sb = new StringBuilder();
    for (String warning : warnings()) {
      sb.append("Warning: ").append(warning).append('\n');
    }
    return sb + PlanText.wrap(logicalPlan, PlanText.WIDTH) + "== Physical plan ("
        + m.name().toLowerCase(Locale.ROOT) + " output mode) ==\n"
        + HopSlicing.forStore(plan(m), pagesToDisk).explain();
  }

  /**
   * What the user should know before running the query: a join of streams whose state grows without end (over
   * bounded inputs it ends with them).
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (draft.isBounded()) {
      return warnings;
    }
    for (io.freshet.exec.plan.PlanNode node : draft.nodes()) {
      if (node.factory() instanceof io.freshet.exec.join.IntervalJoinOperator.Spec join && join.keepsEveryRow()) {
        warnings.add("the join of node #" + node.id() + " has no bound on event time, so it keeps every row of "
            + "both inputs and its state grows without end; SET 'state.ttl' = '1 hour' (say) drops rows older "
            + "than that, or bound the two sides' times (ON ... AND b.ts BETWEEN a.ts - INTERVAL '1' MINUTE AND "
            + "a.ts + INTERVAL '1' MINUTE)");
      }
    }
    return warnings;
  }

  public String explain() {
    return explain(null);
  }

  public boolean isBounded() {
    return draft.isBounded();
  }

  /** Whether the query keeps state (aggregates, sessions, Top-N). */
  public boolean isStateful() {
    return draft.isStateful();
  }

  /** Whether the query only reads its source as it is (no filter, projection or state). */
  public boolean isPlainScan() {
    return draft.nodes().isEmpty() && !rowKinds;
  }

  /** The names of the streams and tables the query reads. */
  public List<String> sourceNames() {
    return draft.sources().stream().map(SourceSpec::name).toList();
  }

  /** The schema of the rows the plan drops as late, or null when it drops none. */
  public RowSchema lateRowSchema() {
    return draft.lateRowSchema();
  }

  /** Whether the query has an ORDER BY, LIMIT or OFFSET. */
  public boolean sortsOrLimits() {
    return draft.nodes().stream().anyMatch(n -> n.factory() instanceof SortLimitOperator.Spec);
  }

  /** Append where the plan's result rows never change (or are shown with their kinds), otherwise update. */
  public OutputMode defaultMode() {
    return rowKinds ? OutputMode.APPEND : OutputModeValidator.defaultMode(draft);
  }

  /** The plan to run in {@code mode}, or an error saying why the query cannot give that mode. */
  public StreamPlan plan(OutputMode mode) {
    if (!rowKinds) {
      return OutputModeValidator.plan(draft, aggregates, mode);
    }
    // Shown as rows with their kind, a changelog only ever adds rows: append mode takes it as update mode makes it.
    StreamPlan plan = OutputModeValidator.plan(draft, aggregates, mode == OutputMode.APPEND
        && OutputModeValidator.defaultMode(draft) == OutputMode.UPDATE ? OutputMode.UPDATE : mode);
    StreamPlan.Builder extended = plan.extend();
    return extended.build(extended.node(RowKindColumnOperator.Spec.over(plan.outputSchema()), plan.root()));
  }

  /** As above, with the result cast to a sink's columns by {@code casts} (null: as it is). */
  public StreamPlan plan(OutputMode mode, List<Expr> casts) {
    StreamPlan plan = plan(mode);
    if (casts == null) {
      return plan;
    }
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < casts.size(); i++) {
      columns.add(new Column(outputSchema.column(i).name(), casts.get(i).type(), true));
    }
    StreamPlan.Builder extended = plan.extend();
    return extended.build(extended.node(new CalcOperator.Spec(null, casts, new RowSchema(columns)), plan.root()));
  }
}
