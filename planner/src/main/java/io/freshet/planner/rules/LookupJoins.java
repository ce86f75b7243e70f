package io.freshet.planner.rules;

import io.freshet.planner.PlannerTable;
import io.freshet.planner.StreamTable;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.Snapshot;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;

/**
 * Flink's processing-time lookup join, {@code FROM s JOIN t FOR SYSTEM_TIME AS OF s.p_time AS t ON ...} where
 * {@code p_time} is a processing time ({@code PROCTIME()}) and {@code t} a static table (a bounded input that is not a
 * versioned table): each stream row is joined with the table's contents at its processing time, which is what the
 * stream–static join gives. Calcite plans it as a correlate of the stream with a filtered snapshot of the table; this
 * rewrites that into a join of the stream with the table on the same condition, expressions in the keys pushed into
 * projections of the inputs ({@code ON MOD(s.auction, 10000) = t.key} joins on a computed column), for the
 * stream–static join rule to plan. A correlate over a versioned table stays, for the temporal join rule.
 */
public final class LookupJoins {
  private LookupJoins() {
  }

  /** {@code root} with each lookup of a static table AS OF a processing time made a join. */
  public static RelNode rewrite(RelNode root) {
    return root.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(LogicalCorrelate correlate) {
        RelNode visited = super.visit(correlate);
        return visited instanceof LogicalCorrelate c ? lookup(c) : visited;
      }
    });
  }

  private static RelNode lookup(LogicalCorrelate correlate) {
    RelNode right = correlate.getRight().stripped();
    RelNode below = right instanceof Filter || right instanceof Calc ? right.getInput(0).stripped() : right;
    Snapshot snapshot = below instanceof Snapshot s ? s : null;
    if (snapshot == null || !(snapshot.getInput().stripped() instanceof TableScan scan)) {
      return correlate;
    }
    PlannerTable table = scan.getTable().unwrapOrThrow(StreamTable.class).table();
    if (table.versioned() || !table.bounded()) {
      return correlate;
    }
    RelNode left = correlate.getLeft();
    int asOf = snapshot.getPeriod() instanceof RexFieldAccess access
        && access.getReferenceExpr() instanceof RexCorrelVariable ? access.getField().getIndex() : -1;
    if (asOf < 0 || !processingTime(left, asOf)) {
      throw FreshetException.user("FOR SYSTEM_TIME AS OF over the static table " + table.name() + " looks it up at "
          + "a row's processing time: name a PROCTIME() column of the stream (FROM (SELECT *, PROCTIME() AS p_time "
          + "FROM s) s JOIN " + table.name() + " FOR SYSTEM_TIME AS OF s.p_time AS t ON ...), or join the table "
          + "without FOR SYSTEM_TIME AS OF");
    }
    if (correlate.getJoinType() != JoinRelType.INNER && correlate.getJoinType() != JoinRelType.LEFT) {
      throw FreshetException.user("A lookup join (FOR SYSTEM_TIME AS OF a processing time) is INNER or LEFT");
    }
    int leftWidth = left.getRowType().getFieldCount();
    RexBuilder rexBuilder = correlate.getCluster().getRexBuilder();
    List<RexNode> conditions = new ArrayList<>();
    if (right instanceof Filter filter) {
      conditions.add(StreamTemporalJoinRule.joinRow(filter.getCondition(), leftWidth, rexBuilder));
    } else if (right instanceof Calc calc && calc.getProgram().projectsOnlyIdentity()) {
      RexProgram program = calc.getProgram();
      if (program.getCondition() != null) {
        conditions.add(StreamTemporalJoinRule.joinRow(program.expandLocalRef(program.getCondition()), leftWidth,
            rexBuilder));
      }
    } else if (right != snapshot) {
      throw FreshetException.user("A lookup join reads the static table " + table.name() + " as it is: compute "
          + "columns over its rows after the join");
    }
    LogicalJoin join = LogicalJoin.create(left, scan, List.of(), RexUtil.composeConjunction(rexBuilder, conditions),
        java.util.Set.of(), correlate.getJoinType());
    RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(correlate.getCluster(), null);
    return RelOptUtil.pushDownJoinConditions(join, builder);
  }

  /**
   * Whether column {@code column} of {@code rel} is a processing time: {@code PROCTIME()} computed by a projection
   * below, through projections and filters.
   */
  static boolean processingTime(RelNode rel, int column) {
    RelNode node = rel.stripped();
    if (node instanceof Filter filter) {
      return processingTime(filter.getInput(), column);
    }
    RexNode expression = null;
    if (node instanceof Project project) {
      expression = project.getProjects().get(column);
    } else if (node instanceof Calc calc) {
      expression = calc.getProgram().expandLocalRef(calc.getProgram().getProjectList().get(column));
    }
    if (expression instanceof RexInputRef ref) {
      return processingTime(node.getInput(0), ref.getIndex());
    }
    return expression instanceof RexCall call && call.getOperator().getName().equalsIgnoreCase("PROCTIME");
  }
}
