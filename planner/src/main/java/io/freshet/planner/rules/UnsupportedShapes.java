package io.freshet.planner.rules;

import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.translate.CalcTranslator;
import io.freshet.streaming.FreshetException;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;

/**
 * Plan shapes Freshet does not run, refused with what to write instead. {@link #refuse} walks the logical plan from
 * the top before the rules convert it, so that the refusal a query gets is the one nearest the top of the plan:
 * what no rule converts (set operations but UNION ALL) and the checks a rule makes of its own node
 * whatever its input (a function the runtime lacks, GROUPING SETS, the form of UNNEST, the frame of an OVER
 * aggregation). The rules then check,
 * from the bottom up, what depends on the input (event time, window keys). {@link #unconverted} explains a plan
 * the rules could not convert in full.
 */
public final class UnsupportedShapes {
  static final String SUBQUERIES = "A subquery in a column, a join's ON or a GROUP BY is not supported: IN (SELECT "
      + "...) and EXISTS (SELECT ...) over a static table work as conditions of WHERE. For a fixed set of values "
      + "write IN (1, 2, 3)";

  private UnsupportedShapes() {
  }

  /** Refuses, from the top of {@code node} down, a shape that the rules will not convert. */
  public static void refuse(RelNode node) {
    if (node instanceof TableScan) {
      return;
    }
    if (node instanceof Calc calc) {
      if (calc.getInput() instanceof Window window) {
        refuseOverAggregations(window);
        refuse(window.getInput());
      } else {
        CalcTranslator.translate(calc);
        refuse(calc.getInput());
      }
    } else if (node instanceof TableFunctionScan scan) {
      if (scan.getInputs().size() != 1) {
        String function = WindowArguments.function(scan);
        throw FreshetException.user(function + " needs one input table: TABLE(" + function + "(TABLE t, ...))");
      }
      refuse(scan.getInputs().get(0));
    } else if (node instanceof Aggregate agg) {
      refuseGroupingSets(agg);
      RelNode below = agg.getInput();
      RelNode window = below instanceof Calc c ? c.getInput() : below;
      refuse(window instanceof TableFunctionScan scan && WindowArguments.isSession(scan) ? scan.getInputs().get(0)
          : below);
    } else if (node instanceof Correlate correlate && StreamTemporalJoinRule.snapshot(correlate) != null) {
      refuse(correlate.getLeft());
      refuse(StreamTemporalJoinRule.snapshot(correlate).getInput());
    } else if (node instanceof Correlate correlate) {
      UnnestSplit split = UnnestSplit.of(correlate);
      CalcTranslator.translate(split.leftProgram(correlate.getCluster().getRexBuilder()),
          correlate.getCluster().getRexBuilder());
      refuse(split.left().getInput());
    } else if (node instanceof Join join && !join.getJoinType().projectsRight()) {
      // IN (SELECT ...) or EXISTS (SELECT ...), made a semi or anti join by SubQueryJoins.
      SubQueryJoins.refuseUnlessStatic(join.getRight());
      refuse(join.getLeft());
    } else if (node instanceof Join join) {
      for (RelNode input : join.getInputs()) {
        if (!StaticInput.values(input)) {
          refuse(input);
        }
      }
    } else if (node instanceof Sort sort) {
      refuse(sort.getInput());
    } else if (node instanceof Union union && union.all) {
      union.getInputs().forEach(UnsupportedShapes::refuse);
    } else if (node instanceof Window window) {
      if (OverWindows.isRanking(window)) {
        throw FreshetException.user("ROW_NUMBER(), RANK() and DENSE_RANK() OVER (...) are supported only as a "
            + "Top-N: OVER (PARTITION BY window_start, window_end ORDER BY ...) filtered with <= N");
      }
      refuseOverAggregations(window);
      refuse(window.getInput());
    } else {
      throw unsupported(node);
    }
  }

  /**
   * Why the rules left {@code root} (or a node below it) unconverted: the node nearest the bottom that is not a
   * stream node, with the node over it. After {@link #refuse}, that is a SESSION window without an aggregation
   * directly over it.
   */
  public static FreshetException unconverted(RelNode root) {
    RelNode parent = null;
    RelNode node = root;
    for (RelNode input = firstUnconverted(node); input != null; input = firstUnconverted(node)) {
      parent = node;
      node = input;
    }
    if (node instanceof TableFunctionScan scan && WindowArguments.isSession(scan)) {
      WindowArguments.timeColumn(scan, scan.getInputs().get(0));
      return FreshetException.user("A SESSION window needs an aggregation " + (parent == null ? "" : "directly ")
          + "over it: GROUP BY window_start, window_end and the session's keys");
    }
    return unsupported(node);
  }

  private static RelNode firstUnconverted(RelNode node) {
    return node.getInputs().stream().filter(input -> !(input instanceof StreamRel)).findFirst().orElse(null);
  }

  static void refuseGroupingSets(Aggregate agg) {
    if (agg.getGroupType() != Aggregate.Group.SIMPLE) {
      throw FreshetException.user("GROUPING SETS, ROLLUP and CUBE are not supported");
    }
  }

  /**
   * Refuses an OVER window that mixes ranking with aggregates, or OVER aggregations of a shape that does not run
   * (several windows, a function other than COUNT, SUM, MIN, MAX and AVG, a frame that does not end at the current
   * row); a Top-N's ranking passes.
   */
  static void refuseOverAggregations(Window window) {
    OverWindows.check(window);
  }

  private static FreshetException unsupported(RelNode node) {
    String what;
    if (node instanceof Join) {
      what = "This join is not supported";
    } else if (node instanceof Sort) {
      what = "ORDER BY and LIMIT need a stream under them (SELECT ... FROM name ORDER BY ...)";
    } else if (node instanceof Values) {
      what = "A query must read a stream or table (SELECT ... FROM name)";
    } else if (node instanceof SetOp) {
      what = "UNION (without ALL), INTERSECT and EXCEPT are not supported on streams yet; UNION ALL is";
    } else if (hasSubQuery(node)) {
      what = SUBQUERIES;
    } else {
      what = "This query shape is not supported yet: " + node.getRelTypeName();
    }
    return FreshetException.user(what);
  }

  /** Whether a condition or projection of {@code node} holds a subquery. */
  private static boolean hasSubQuery(RelNode node) {
    boolean[] found = {false};
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitSubQuery(RexSubQuery subQuery) {
        found[0] = true;
        return subQuery;
      }
    });
    return found[0];
  }
}
