package io.freshet.planner.rules;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.join.JoinType;
import io.freshet.exec.join.TemporalJoinOperator;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamTableScan;
import io.freshet.planner.rel.StreamTemporalJoin;
import io.freshet.planner.rel.TimeAttribute;
import io.freshet.planner.rel.TimeAttributes;
import io.freshet.planner.translate.RexTranslator;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Snapshot;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Converts {@code FROM orders o [LEFT] JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency}, which
 * Calcite plans as a correlate of the stream with a filtered snapshot of the versioned table, into an event-time
 * temporal join ({@link StreamTemporalJoin}): the equalities with the table's primary key become the key on which
 * both inputs are hashed and the versions looked up, the rest of the condition is tested on a row and its version.
 * {@code AS OF} must name the left stream's event time, and the ON clause must give every column of the primary key.
 */
public final class StreamTemporalJoinRule extends RelRule<StreamRuleConfig<StreamTemporalJoinRule>> {

  public static final StreamRuleConfig<StreamTemporalJoinRule> DEFAULT = StreamRuleConfig.of(
      "StreamTemporalJoinRule", StreamTemporalJoinRule::new, b0 -> b0.operand(LogicalCorrelate.class)
          .predicate(StreamTemporalJoinRule::inputsConverted).anyInputs());

  StreamTemporalJoinRule(StreamRuleConfig<StreamTemporalJoinRule> config) {
    super(config);
  }

  /** The snapshot ({@code FOR SYSTEM_TIME AS OF}) that {@code correlate} joins with, or null for another correlate. */
  static Snapshot snapshot(Correlate correlate) {
    RelNode right = correlate.getRight().stripped();
    if (right instanceof Calc calc) {
      right = calc.getInput().stripped();
    }
    return right instanceof Snapshot snapshot ? snapshot : null;
  }

  private static boolean inputsConverted(LogicalCorrelate correlate) {
    Snapshot snapshot = snapshot(correlate);
    return snapshot != null && correlate.getLeft().stripped() instanceof StreamRel
        && snapshot.getInput().stripped() instanceof StreamRel;
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalCorrelate correlate = call.rel(0);
    RelNode left = correlate.getLeft();
    Snapshot snapshot = snapshot(correlate);
    RelNode versions = snapshot.getInput();
    PlannerTable table = StreamTableScan.sourceBelow(versions);
    JoinType type = switch (correlate.getJoinType()) {
      case INNER -> JoinType.INNER;
      case LEFT -> JoinType.LEFT;
      default -> throw FreshetException.user("A temporal join (FOR SYSTEM_TIME AS OF) is INNER or LEFT: every row "
          + "of the stream gets the version of " + table.name() + " in force at its time, and the versions no row "
          + "asked for are not emitted");
    };
    int leftWidth = left.getRowType().getFieldCount();
    int asOf = asOf(snapshot, left, table);
    int rightTime = rowtime(StreamRel.timeAttributesOf(versions));
    RexBuilder rexBuilder = correlate.getCluster().getRexBuilder();
    RelNode right = correlate.getRight().stripped();
    List<RexNode> conjuncts = new ArrayList<>();
    if (right instanceof Calc calc) {
      RexProgram program = calc.getProgram();
      if (!program.projectsOnlyIdentity()) {
        throw FreshetException.user("A temporal join reads the versioned table " + table.name() + " as it is: "
            + "compute columns over its rows after the join");
      }
      if (program.getCondition() != null) {
        conjuncts.addAll(RelOptUtil.conjunctions(joinRow(program.expandLocalRef(program.getCondition()),
            leftWidth, rexBuilder)));
      }
    }
    List<String> rightNames = versions.getRowType().getFieldNames();
    List<String> primaryKey = table.primaryKey();
    int[] leftKeys = new int[primaryKey.size()];
    int[] rightKeys = new int[primaryKey.size()];
    for (int k = 0; k < primaryKey.size(); k++) {
      rightKeys[k] = indexOf(rightNames, primaryKey.get(k));
      leftKeys[k] = -1;
      for (RexNode conjunct : conjuncts) {
        int other = equalTo(conjunct, leftWidth + rightKeys[k], leftWidth);
        if (other >= 0) {
          leftKeys[k] = other;
          conjuncts.remove(conjunct);
          break;
        }
      }
      if (leftKeys[k] < 0) {
        throw FreshetException.user("A temporal join looks up the version of a key: the ON clause must set each "
            + "column of the primary key of " + table.name() + " " + primaryKey + " equal to a column of the "
            + "stream, e.g. ON o." + primaryKey.get(k) + " = r." + primaryKey.get(k));
      }
      TypeKind a = JoinBounds.type(left, leftKeys[k]);
      TypeKind b = JoinBounds.type(versions, rightKeys[k]);
      if (a != b) {
        throw FreshetException.user("The temporal join compares " + left.getRowType().getFieldNames()
            .get(leftKeys[k]) + " (" + a.sqlName() + ") with " + table.name() + "." + primaryKey.get(k) + " ("
            + b.sqlName() + "); CAST the stream's column in a subquery to the key's type");
      }
    }
    RexNode residual = RexUtil.composeConjunction(rexBuilder, conjuncts);
    Expr condition = residual.isAlwaysTrue() ? null : new RexTranslator(rexBuilder).translate(residual);
    TemporalJoinOperator.Spec spec = new TemporalJoinOperator.Spec(type, Types.toSchema(left.getRowType()),
        Types.toSchema(versions.getRowType()), leftKeys, rightKeys, asOf, rightTime, condition);
    call.transformTo(new StreamTemporalJoin(correlate.getCluster(), correlate.getTraitSet().replace(StreamRel.STREAM),
        left, versions, correlate.getRowType(), spec));
  }

  /** The left column that {@code AS OF} names, which must be the stream's event time. */
  private static int asOf(Snapshot snapshot, RelNode left, PlannerTable table) {
    RexNode period = snapshot.getPeriod();
    int column = period instanceof RexFieldAccess access
        && access.getReferenceExpr() instanceof RexCorrelVariable ? access.getField().getIndex() : -1;
    if (column < 0 || !StreamRel.timeAttributesOf(left).get(column).isEventTime()) {
      throw FreshetException.user("FOR SYSTEM_TIME AS OF must name the event time of the stream joined with "
          + table.name() + " (the column of its WATERMARK, e.g. AS OF o.ts): a row gets the version in force at "
          + "that time, once the watermark has passed it. Processing-time temporal joins of a versioned stream are not "
          + "supported; a static table (a bounded input without a primary key) is looked up AS OF a processing time");
    }
    return column;
  }

  private static int rowtime(TimeAttributes times) {
    for (int c = 0; c < times.size(); c++) {
      if (times.get(c).kind() == TimeAttribute.Kind.ROWTIME) {
        return c;
      }
    }
    throw new IllegalStateException("a versioned table without event time passed the validator");
  }

  private static int indexOf(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalStateException("primary key column " + name + " not in " + names);
  }

  /**
   * {@code condition} over the joined row, the left columns then the right's: a field of the correlation variable
   * is the left column, a column of the snapshot the right one.
   */
  static RexNode joinRow(RexNode condition, int leftWidth, RexBuilder rexBuilder) {
    return condition.accept(new RexShuttle() {
      @Override
      public RexNode visitFieldAccess(RexFieldAccess access) {
        if (access.getReferenceExpr() instanceof RexCorrelVariable) {
          return rexBuilder.makeInputRef(access.getType(), access.getField().getIndex());
        }
        return super.visitFieldAccess(access);
      }

      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return rexBuilder.makeInputRef(ref.getType(), leftWidth + ref.getIndex());
      }
    });
  }

  /** The left column that {@code conjunct} sets equal to column {@code column} of the joined row, or -1. */
  private static int equalTo(RexNode conjunct, int column, int leftWidth) {
    if (conjunct.getKind() != SqlKind.EQUALS) {
      return -1;
    }
    List<RexNode> operands = ((RexCall) conjunct).getOperands();
    for (int i = 0; i < 2; i++) {
      if (operands.get(i) instanceof RexInputRef a && a.getIndex() == column
          && operands.get(1 - i) instanceof RexInputRef b && b.getIndex() < leftWidth) {
        return b.getIndex();
      }
    }
    return -1;
  }
}
