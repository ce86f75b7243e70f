package io.freshet.planner;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.dedup.DeduplicateOperator;
import io.freshet.exec.join.IntervalJoinOperator;
import io.freshet.exec.join.StaticJoinOperator;
import io.freshet.exec.join.TemporalJoinOperator;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.SortLimitOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.window.ChangelogOverOperator;
import io.freshet.exec.window.OverAggregateOperator;
import io.freshet.exec.window.SessionAggregateOperator;
import io.freshet.exec.window.TopNOperator;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import java.util.List;
import java.util.Map;

/**
 * Whether a plan can give an output mode, and the plan that gives it; every refusal of a mode is here. The last
 * stateful node follows the mode (an aggregation emits final rows in append, a changelog in update, everything in
 * complete); a windowed aggregation that feeds another stateful node emits final rows when its window closes, an
 * unbounded one a changelog, which only an unbounded aggregation of COUNT, SUM and AVG can read. A SELECT DISTINCT
 * (an unbounded aggregation without aggregate functions) over insert-only rows emits each row once, in append and
 * update mode alike, as Flink does; so does a deduplication that keeps each key's first row, while one that keeps
 * the last row is a changelog (update mode).
 */
final class OutputModeValidator {
  private OutputModeValidator() {
  }

  /**
   * Append where the plan's result rows never change (no state, state that only emits final rows, a SELECT DISTINCT
   * or the first row per key).
   */
  static OutputMode defaultMode(StreamPlan draft) {
    PlanNode last = lastStateful(draft);
    if (last == null) {
      return OutputMode.APPEND;
    }
    StreamPlan plan = settleInner(draft, last);
    boolean changing = last.factory() instanceof HashAggregateOperator.Spec a && !a.windowed()
        && !distinctFirst(plan, last) || last.factory() instanceof TopNOperator.Spec
        || last.factory() instanceof DeduplicateOperator.Spec d && d.keepLast()
        || last.factory() instanceof IntervalJoinOperator.Spec j && j.changelog()
        || last.factory() instanceof OverAggregateOperator.Spec && readsChangelog(plan, last);
    return changing ? OutputMode.UPDATE : OutputMode.APPEND;
  }

  /**
   * The plan with what each aggregation before the last stateful node emits: a windowed one final rows when its
   * window closes, a SELECT DISTINCT each row once, any other a changelog (which the nodes over it must take).
   */
  private static StreamPlan settleInner(StreamPlan draft, PlanNode last) {
    StreamPlan plan = draft;
    for (PlanNode node : draft.nodes()) {
      if (node.id() != last.id() && node.factory() instanceof HashAggregateOperator.Spec a) {
        plan = plan.replace(node.id(), a.withEmit(a.windowed() ? HashAggregateOperator.Emit.ON_CLOSE
            : a.distinctRows() ? HashAggregateOperator.Emit.FIRST : HashAggregateOperator.Emit.UPDATES));
      }
    }
    return plan;
  }

  /** Whether aggregation {@code node} is a SELECT DISTINCT over insert-only rows: each row emitted once. */
  private static boolean distinctFirst(StreamPlan plan, PlanNode node) {
    return node.factory() instanceof HashAggregateOperator.Spec a && a.distinctRows()
        && plan.changelogMode(node.inputs().get(0)) == ChangelogMode.INSERT_ONLY;
  }

  static StreamPlan plan(StreamPlan draft, Map<Integer, String> aggregates, OutputMode mode) {
    StreamPlan plan = sorts(stateful(draft, aggregates, mode), aggregates, mode);
    for (PlanNode node : plan.nodes()) {
      // An OVER aggregation over a changelog was replaced by one that keeps it up to date; others need event time.
      if (node.factory() instanceof OverAggregateOperator.Spec over && over.orderProblem() != null) {
        throw FreshetException.user(over.orderProblem());
      }
    }
    return plan;
  }

  private static boolean readsChangelog(StreamPlan plan, PlanNode node) {
    return plan.changelogMode(node.inputs().get(0)) == ChangelogMode.RETRACT;
  }

  private static StreamPlan stateful(StreamPlan draft, Map<Integer, String> aggregates, OutputMode mode) {
    PlanNode last = lastStateful(draft);
    if (last == null) {
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode rewrites the whole result after every batch, which needs "
            + "an aggregation, and this query has none; use append (or update) output mode");
      }
      return draft;
    }
    StreamPlan plan = settleInner(draft, last);
    boolean distinct = distinctFirst(plan, last);
    if (last.factory() instanceof HashAggregateOperator.Spec spec) {
      HashAggregateOperator.Emit emit = switch (mode) {
        case APPEND -> {
          if (distinct) {
            // An aggregation without aggregate functions never changes a row it emitted.
            yield HashAggregateOperator.Emit.FIRST;
          }
          if (!spec.windowed()) {
            throw FreshetException.user("Append output mode needs " + (hasEventTime(draft) ? ""
                : "a watermark on " + sourceName(draft) + " and ") + "a window for the aggregation "
                + aggregates.get(last.id()) + ", because without one its rows change forever; use update or "
                + "complete mode, or aggregate over TUMBLE(...), HOP(...) or SESSION(...) (TUMBLE and HOP also over a "
                + "processing time, PROCTIME())");
          }
          if (!draft.followsProcessingTime(last.id())) {
            // Processing-time windows close by the clock, and need no watermark.
            requireWatermark(draft, "Append output mode");
          }
          yield HashAggregateOperator.Emit.ON_CLOSE;
        }
        case UPDATE -> distinct ? HashAggregateOperator.Emit.FIRST : HashAggregateOperator.Emit.UPDATES;
        case COMPLETE -> HashAggregateOperator.Emit.COMPLETE;
      };
      plan = plan.replace(last.id(), spec.withEmit(emit));
    } else if (last.factory() instanceof SessionAggregateOperator.Spec session) {
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode is not supported for session windows, as in Spark: "
            + "sessions are forgotten once the watermark passes their end; use append or update output mode");
      }
      requireWatermark(draft, "A session window");
      if (mode == OutputMode.UPDATE) {
        plan = plan.replace(last.id(), session.withUpdates());
      }
    } else if (last.factory() instanceof TopNOperator.Spec) {
      if (mode != OutputMode.UPDATE) {
        throw FreshetException.user((mode == OutputMode.APPEND ? "Append" : "Complete") + " output mode cannot give "
            + "a Top-N without a window: its rows change as "
            + "rows come, so use update output mode, or rank per window (PARTITION BY window_start, window_end)");
      }
    } else if (last.factory() instanceof DeduplicateOperator.Spec dedup) {
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode needs the query to end in an aggregation; a deduplication "
            + "(ROW_NUMBER() OVER (PARTITION BY ... ORDER BY the event time) = 1) emits each key's row once, or as it "
            + "changes when it keeps the last row: use " + (dedup.keepLast() ? "update" : "append") + " output mode");
      }
      if (dedup.keepLast() && mode == OutputMode.APPEND) {
        throw FreshetException.user("Append output mode cannot give the last row per key (ROW_NUMBER() OVER "
            + "(PARTITION BY ... ORDER BY the event time DESC) = 1): each new row of a key replaces the one emitted "
            + "before it; use update output mode, or keep the first row per key (ORDER BY the event time ASC)");
      }
    } else if (last.factory() instanceof OverAggregateOperator.Spec over) {
      if (readsChangelog(plan, last)) {
        if (mode != OutputMode.UPDATE) {
          int source = changelogSource(plan, last.inputs().get(0));
          String producer = plan.isSource(source) ? "the query under it" : what(plan.node(source), aggregates);
          throw FreshetException.user((mode == OutputMode.APPEND ? "Append" : "Complete") + " output mode cannot "
              + "give an OVER aggregation over the changing rows of " + producer + ": its rows are kept up to date "
              + "as the rows under them come and go; use update output mode");
        }
        return readChangelogs(plan, aggregates);
      }
      if (over.orderProblem() != null) {
        throw FreshetException.user(over.orderProblem());
      }
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode needs the query to end in a GROUP BY aggregation; an "
            + "OVER aggregation emits each row once, with its aggregates, when the watermark passes its time: use "
            + "append output mode");
      }
      requireWatermark(draft, "An OVER aggregation");
    } else if (last.factory() instanceof IntervalJoinOperator.Spec join) {
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode needs the query to end in an aggregation; a join emits "
            + "each pair once, as it finds it: use " + (join.changelog() ? "update" : "append") + " output mode");
      }
      if (join.changelog() && mode == OutputMode.APPEND) {
        throw FreshetException.user("Append output mode cannot give this " + join.type().sql() + " join without a "
            + "time bound: it emits a row without a match with nulls at once and takes it back when a match comes. "
            + "Use update output mode, or bound the join by event time (an interval join), whose outer rows come "
            + "once the watermark passes them");
      }
      if (!join.regular()) {
        requireWatermark(draft, "An interval join");
      }
    } else if (last.factory() instanceof TemporalJoinOperator.Spec) {
      if (mode == OutputMode.COMPLETE) {
        throw FreshetException.user("Complete output mode needs the query to end in an aggregation; a temporal join "
            + "emits each row once, with its version, when the watermark passes its time: use append output mode");
      }
    } else if (mode == OutputMode.COMPLETE) {
      throw FreshetException.user("Complete output mode needs the query to end in an aggregation; a Top-N "
          + "emits each window's rows once, when the window closes; use append or update output mode");
    } else if (!draft.followsProcessingTime(last.id())) {
      requireWatermark(draft, "A window Top-N");
    }
    return readChangelogs(plan, aggregates);
  }

  /**
   * Has each ORDER BY and LIMIT follow the mode, or refuses it. In complete mode it reads the whole result of the
   * last aggregation after each batch, and sorts and limits that; otherwise it reads a stream of rows that only
   * come (never a changelog), counts LIMIT over all of them, and sorts each batch's rows, which keeps the stream in
   * order only when the first key is the result's event time, ascending.
   */
  private static StreamPlan sorts(StreamPlan plan, Map<Integer, String> aggregates, OutputMode mode) {
    StreamPlan result = plan;
    for (PlanNode node : plan.nodes()) {
      if (!(node.factory() instanceof SortLimitOperator.Spec spec)) {
        continue;
      }
      int input = node.inputs().get(0);
      if (mode == OutputMode.COMPLETE) {
        PlanNode last = lastStateful(plan);
        int under = changelogSource(plan, input);
        if (plan.isSource(under) || under != last.id()) {
          throw FreshetException.user("In complete output mode ORDER BY and LIMIT apply to the whole result after "
              + "each batch: write them at the end of the query, after its aggregation");
        }
        result = result.replace(node.id(), spec.withPerBatch());
        continue;
      }
      String modeName = mode == OutputMode.APPEND ? "Append" : "Update";
      if (plan.changelogMode(input) == ChangelogMode.RETRACT) {
        int source = changelogSource(plan, input);
        String producer = plan.isSource(source) ? "the query under it" : what(plan.node(source), aggregates);
        throw FreshetException.user(modeName + " output mode cannot give ORDER BY or LIMIT over the rows of "
            + producer + ", which keep changing. Use complete output mode, which sorts and limits the whole result "
            + "after each batch, or aggregate over a window (TUMBLE, HOP) in append mode");
      }
      if (spec.sorts() && spec.orderProblem() != null) {
        throw FreshetException.user(modeName + " output mode cannot keep this ORDER BY: " + spec.orderProblem()
            + ". A stream is sorted batch by batch, which keeps it in order only when the first key is its event "
            + "time (window_start or window_end of a window aggregation, or the row time), ascending. For another "
            + "order use complete output mode over an aggregation (the whole result sorted after each batch), or a "
            + "Top-N per window: ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY ...) <= N");
      }
    }
    return result;
  }

  /**
   * Has each node that reads a changelog take it, or refuses the query: a projection or filter passes the row
   * kinds on, an unbounded aggregation of COUNT, SUM and AVG, a Top-N without a window and an OVER aggregation (kept
   * up to date by {@link ChangelogOverOperator}) take -U and -D rows back out; nothing else can.
   */
  private static StreamPlan readChangelogs(StreamPlan plan, Map<Integer, String> aggregates) {
    for (PlanNode node : plan.nodes()) {
      if (node.inputs().stream().noneMatch(i -> plan.changelogMode(i) == ChangelogMode.RETRACT)) {
        continue;
      }
      int input = node.inputs().stream().filter(i -> plan.changelogMode(i) == ChangelogMode.RETRACT).findFirst()
          .orElseThrow();
      // An ORDER BY or LIMIT over a changelog is refused by sorts(), with what to do instead.
      if (node.factory() instanceof CalcOperator.Spec || node.factory() instanceof StaticJoinOperator.Spec
          || node.factory() instanceof SortLimitOperator.Spec || node.factory() instanceof ChangelogOverOperator.Spec
          || node.factory() instanceof HashAggregateOperator.Spec taking && taking.changelogInput()
          || node.factory() instanceof TopNOperator.Spec ranking && ranking.changelogInput()) {
        continue;
      }
      if (node.factory() instanceof TopNOperator.Spec ranking) {
        return readChangelogs(plan.replace(node.id(), ranking.overChangelog()), aggregates);
      }
      if (node.factory() instanceof OverAggregateOperator.Spec over) {
        return readChangelogs(plan.replace(node.id(), over.overChangelog()), aggregates);
      }
      int source = changelogSource(plan, input);
      String producer = plan.isSource(source) ? "the query under it" : what(plan.node(source), aggregates);
      if (!plan.isSource(source) && plan.node(source).factory() instanceof IntervalJoinOperator.Spec join
          && !(node.factory() instanceof HashAggregateOperator.Spec agg && !agg.windowed())) {
        throw FreshetException.user("The " + join.type().sql() + " join without a time bound takes back the rows it "
            + "emitted with nulls, and " + what(node, aggregates) + " reads them; only an aggregation or a Top-N "
            + "without a window, or an OVER aggregation, can take changed rows back. Use an INNER join, or bound the join by event time (an "
            + "interval join, whose outer rows come once, when the watermark passes them)");
      }
      if (!(node.factory() instanceof HashAggregateOperator.Spec a) || a.windowed()) {
        throw FreshetException.user(Character.toUpperCase(producer.charAt(0)) + producer.substring(1)
            + " has no window, so its rows keep changing, "
            + "and " + what(node, aggregates) + " reads them; only an aggregation or a Top-N without a window, "
            + "or an OVER aggregation, can take changed rows back. Aggregate over a window (TUMBLE, HOP, SESSION) in the inner query");
      }
      for (AggregateCall call : a.calls()) {
        if (!call.retractable()) {
          throw FreshetException.user("The aggregation " + aggregates.get(node.id()) + " reads the changing rows of "
              + producer + ", and " + call.kind() + " cannot take a changed row back out (it "
              + "would have to keep every value); use COUNT, SUM or AVG there, or aggregate over a window in the "
              + "inner query");
        }
      }
      return readChangelogs(plan.replace(node.id(), a.overChangelog()), aggregates);
    }
    return plan;
  }

  /** The aggregation whose changelog node {@code id} gives, through projections and filters. */
  private static int changelogSource(StreamPlan plan, int id) {
    int at = id;
    while (!plan.isSource(at) && plan.node(at).factory() instanceof CalcOperator.Spec) {
      at = plan.node(at).inputs().get(0);
    }
    return at;
  }

  private static String what(PlanNode node, Map<Integer, String> aggregates) {
    String grouping = aggregates.get(node.id());
    if (grouping != null) {
      return "the aggregation " + grouping;
    }
    return switch (node.factory().kind()) {
      case "rank" -> "a Top-N (ROW_NUMBER() OVER ...)";
      case "deduplicate" -> "a deduplication (ROW_NUMBER() OVER (... ORDER BY the event time) = 1)";
      case "session" -> "a SESSION window";
      case "window" -> "a window (TUMBLE, HOP or CUMULATE)";
      case "split" -> "UNNEST";
      case "over" -> "an OVER aggregation";
      case "temporal join" -> "a temporal join (FOR SYSTEM_TIME AS OF)";
      case "sort", "limit" -> "ORDER BY or LIMIT";
      default -> "a " + node.factory().kind();
    };
  }

  private static PlanNode lastStateful(StreamPlan plan) {
    List<PlanNode> nodes = plan.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      // An ORDER BY or LIMIT (counting rows) follows the result; the mode is that of the node under it.
      if (nodes.get(i).factory().stateful() && !(nodes.get(i).factory() instanceof SortLimitOperator.Spec)) {
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
