package io.freshet.planner;

import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.window.SessionAggregateOperator;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import java.util.List;
import java.util.Map;

/**
 * Whether a plan can give an output mode, and the plan that gives it; every refusal of a mode is here. The last
 * stateful node follows the mode (an aggregation emits final rows in append, changed rows in update, everything
 * in complete); an aggregation that feeds another stateful node emits final rows when its window closes.
 */
final class OutputModeValidator {
  private OutputModeValidator() {
  }

  /** Append where the plan's result rows never change (no state, or state that only emits final rows). */
  static OutputMode defaultMode(StreamPlan draft) {
    PlanNode last = lastStateful(draft);
    return last != null && last.factory() instanceof HashAggregateOperator.Spec a && !a.windowed()
        ? OutputMode.UPDATE : OutputMode.APPEND;
  }

  static StreamPlan plan(StreamPlan draft, Map<Integer, String> aggregates, OutputMode mode) {
    PlanNode last = lastStateful(draft);
    if (last == null) {
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode rewrites the whole result after every batch, which needs "
            + "an aggregation, and this query has none; use append (or update) output mode");
      }
      return draft;
    }
    StreamPlan plan = draft;
    if (last.factory() instanceof HashAggregateOperator.Spec spec) {
      HashAggregateOperator.Emit emit = switch (mode) {
        case APPEND -> {
          if (!spec.windowed()) {
            throw FreshetException.user("Append output mode needs " + (hasEventTime(draft) ? ""
                : "a watermark on " + sourceName(draft) + " and ") + "a window for the aggregation "
                + aggregates.get(last.id()) + ", because without one its rows change forever; use update or "
                + "complete mode, or aggregate over TUMBLE(...), HOP(...) or SESSION(...)");
          }
          requireWatermark(draft, "Append output mode");
          yield HashAggregateOperator.Emit.ON_CLOSE;
        }
        case UPDATE -> HashAggregateOperator.Emit.UPDATES;
        case COMPLETE -> HashAggregateOperator.Emit.COMPLETE;
      };
      plan = plan.replace(last.id(), spec.withEmit(emit));
    } else if (last.factory() instanceof SessionAggregateOperator.Spec) {
      if (mode != OutputMode.APPEND) {
        throw FreshetException.user(mode + " output mode is not supported for session windows, as in Spark: a "
            + "session's row is final only when the watermark passes its end; use append output mode");
      }
      requireWatermark(draft, "A session window");
    } else if (mode == OutputMode.COMPLETE) {
      throw FreshetException.user("Complete output mode needs the query to end in an aggregation; a Top-N "
          + "emits each window's rows once, when the window closes; use append or update output mode");
    } else {
      requireWatermark(draft, "A window Top-N");
    }
    for (PlanNode node : draft.nodes()) {
      if (node.id() == last.id()) {
        break;
      }
      if (node.factory() instanceof HashAggregateOperator.Spec a) {
        if (!a.windowed()) {
          throw FreshetException.user("The aggregation " + aggregates.get(node.id()) + " has no window, so its rows "
              + "keep changing, and another aggregation or Top-N reads them; Freshet cannot retract rows from the "
              + "second one yet. Aggregate over a window (TUMBLE, HOP, SESSION) in the inner query");
        }
        plan = plan.replace(node.id(), a.withEmit(HashAggregateOperator.Emit.ON_CLOSE));
      }
    }
    return plan;
  }

  private static PlanNode lastStateful(StreamPlan plan) {
    List<PlanNode> nodes = plan.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (nodes.get(i).factory().stateful()) {
        return nodes.get(i);
      }
    }
    return null;
  }

  private static boolean hasEventTime(StreamPlan plan) {
    return plan.sources().stream().allMatch(s -> s.watermarkText() != null);
  }

  private static String sourceName(StreamPlan plan) {
    return String.join(" and ", plan.sources().stream().map(SourceSpec::name).toList());
  }

  private static void requireWatermark(StreamPlan plan, String what) {
    for (SourceSpec source : plan.sources()) {
      if (source.watermarkText() == null && !source.bounded()) {
        throw FreshetException.user(what + " needs a watermark on " + source.name() + " to know when a window is "
            + "complete; declare one: CREATE STREAM " + source.name() + " (..., WATERMARK FOR ts AS ts - INTERVAL "
            + "'5' SECOND) WITH (...)" + (what.startsWith("Append") ? ", or use update or complete mode" : ""));
      }
    }
  }
}
