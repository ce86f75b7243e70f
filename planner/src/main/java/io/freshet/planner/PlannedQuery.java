package io.freshet.planner;

import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A query ready to run: it reads {@code source} (whose rows give the watermark through {@code watermark}, null
 * when the stream has none) and applies {@code steps} in order, producing {@code outputSchema}.
 *
 * <p>What the plan emits depends on the output mode. The planner derives, for each operator, whether its output is
 * insert-only or a changelog of updates, and {@link #steps(OutputMode)} checks the requested mode against it: an
 * aggregation that feeds another stateful operator always emits final rows when its window closes, and the last
 * one follows the mode (final rows in append, changed rows in update, everything in complete).
 */
public record PlannedQuery(PlannerTable source, Expr watermark, List<PhysicalStep> steps, RowSchema outputSchema,
    String logicalPlan) {

  public PlannedQuery {
    steps = List.copyOf(steps);
  }

  /** Calcite's logical plan and the physical plan in {@code mode} (null: the default mode). */
  public String explain(OutputMode mode) {
    OutputMode m = mode != null ? mode : defaultMode();
    List<PhysicalStep> physical = steps(m);
    StringBuilder sb = new StringBuilder(logicalPlan).append("== Physical plan (").append(m.name().toLowerCase(
        java.util.Locale.ROOT)).append(" output mode) ==\n");
    String indent = "";
    for (int i = physical.size() - 1; i >= 0; i--) {
      sb.append(indent).append(physical.get(i)).append('\n');
      indent += "  ";
    }
    sb.append(indent).append("Scan(").append(source.name()).append(source.bounded() ? ", bounded" : ", unbounded")
        .append(source.eventTimeColumn() == null ? "" : ", watermark " + source.watermarkExpression()).append(")\n");
    return sb.toString();
  }

  public String explain() {
    return explain(null);
  }

  public boolean isBounded() {
    return source.bounded();
  }

  /** Whether the query keeps state (aggregates, sessions, Top-N). */
  public boolean isStateful() {
    return lastStateful() >= 0;
  }

  private int lastStateful() {
    for (int i = steps.size() - 1; i >= 0; i--) {
      PhysicalStep s = steps.get(i);
      if (s instanceof PhysicalStep.Aggregate || s instanceof PhysicalStep.Session || s instanceof PhysicalStep.Rank) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The schema of the rows the plan drops as late (the input of its first window), or null when it drops none.
   */
  public RowSchema lateRowSchema() {
    for (PhysicalStep s : steps) {
      if (s instanceof PhysicalStep.Window w) {
        return w.inputSchema();
      }
      if (s instanceof PhysicalStep.Session w) {
        return w.inputSchema();
      }
    }
    return null;
  }

  /** Append where the plan allows it (its result rows never change), otherwise update. */
  public OutputMode defaultMode() {
    try {
      steps(OutputMode.APPEND);
      return OutputMode.APPEND;
    } catch (FreshetException e) {
      return OutputMode.UPDATE;
    }
  }

  /** The steps to run in {@code mode}, or an error saying why the plan cannot produce that mode. */
  public List<PhysicalStep> steps(OutputMode mode) {
    int last = lastStateful();
    if (last < 0) {
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode rewrites the whole result after every batch, which needs "
            + "an aggregation, and this query has none; use append (or update) output mode");
      }
      return steps;
    }
    List<PhysicalStep> out = new ArrayList<>(steps);
    PhysicalStep lastStep = steps.get(last);
    if (lastStep instanceof PhysicalStep.Aggregate a) {
      HashAggregateOperator.Spec spec = a.spec();
      HashAggregateOperator.Emit emit = switch (mode) {
        case APPEND -> {
          if (!spec.windowed()) {
            throw FreshetException.user("Append output mode needs " + (source.eventTimeColumn() == null
                ? "a watermark on " + source.name() + " and " : "") + "a window for the aggregation " + a.description()
                + ", because without one its rows change forever; use update or complete mode, or aggregate over "
                + "TUMBLE(...), HOP(...) or SESSION(...)");
          }
          requireWatermark("Append output mode");
          yield HashAggregateOperator.Emit.ON_CLOSE;
        }
        case UPDATE -> HashAggregateOperator.Emit.UPDATES;
        case COMPLETE -> HashAggregateOperator.Emit.COMPLETE;
      };
      out.set(last, new PhysicalStep.Aggregate(withEmit(spec, emit), a.lateGroup(), a.description()));
    } else if (lastStep instanceof PhysicalStep.Session) {
      if (mode != OutputMode.APPEND) {
        throw FreshetException.user(mode + " output mode is not supported for session windows, as in Spark: a "
            + "session's row is final only when the watermark passes its end; use append output mode");
      }
      requireWatermark("A session window");
    } else if (mode == OutputMode.COMPLETE) {
      throw FreshetException.user("Complete output mode needs the query to end in an aggregation; a Top-N "
          + "emits each window's rows once, when the window closes; use append or update output mode");
    } else {
      requireWatermark("A window Top-N");
    }
    for (int i = 0; i < last; i++) {
      if (out.get(i) instanceof PhysicalStep.Aggregate a) {
        if (!a.spec().windowed()) {
          throw FreshetException.user("The aggregation " + a.description() + " has no window, so its rows keep "
              + "changing, and another aggregation or Top-N reads them; Freshet cannot retract rows from the second "
              + "one yet. Aggregate over a window (TUMBLE, HOP, SESSION) in the inner query");
        }
        out.set(i, new PhysicalStep.Aggregate(withEmit(a.spec(), HashAggregateOperator.Emit.ON_CLOSE), a.lateGroup(),
            a.description()));
      }
    }
    return out;
  }

  private void requireWatermark(String what) {
    if (source.eventTimeColumn() == null && !source.bounded()) {
      throw FreshetException.user(what + " needs a watermark on " + source.name() + " to know when a window is "
          + "complete; declare one: CREATE STREAM " + source.name() + " (..., WATERMARK FOR ts AS ts - INTERVAL '5' "
          + "SECOND) WITH (...)" + (what.startsWith("Append") ? ", or use update or complete mode" : ""));
    }
  }

  private static HashAggregateOperator.Spec withEmit(HashAggregateOperator.Spec s, HashAggregateOperator.Emit emit) {
    return s.withEmit(emit);
  }
}
