package io.freshet.planner.rules;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.join.JoinType;
import io.freshet.exec.join.StaticJoinOperator;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamStaticJoin;
import io.freshet.planner.translate.RexTranslator;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Converts a semi or anti join of a stream with a static table ({@code IN}/{@code EXISTS} and their negations, made
 * joins by {@link SubQueryJoins}) into a {@link StreamStaticJoin} that passes each stream row, once and as it is, when
 * a table row of its key meets the condition (semi) or when none does (anti). The condition {@code (s.k = t.x) IS
 * NOT FALSE} of {@code NOT IN} over a column that may be null makes a null-aware anti join.
 */
public final class StreamSemiJoinRule extends RelRule<StreamRuleConfig<StreamSemiJoinRule>> {

  public static final StreamRuleConfig<StreamSemiJoinRule> DEFAULT = StreamRuleConfig.of("StreamSemiJoinRule",
      StreamSemiJoinRule::new, b0 -> b0.operand(LogicalJoin.class).predicate(StreamSemiJoinRule::matches)
          .anyInputs());

  static final String NOT_EXISTS = "NOT IN (SELECT ...) over a column that may be NULL is supported only for one "
      + "column and a subquery that does not refer to the outer query: with a NULL on either side NOT IN is unknown, "
      + "which needs the whole table. Write NOT EXISTS (SELECT 1 FROM t WHERE t.x = s.k ...), which counts a NULL as "
      + "no match, or declare the columns NOT NULL";

  StreamSemiJoinRule(StreamRuleConfig<StreamSemiJoinRule> config) {
    super(config);
  }

  /** A semi or anti join whose stream is converted, and whose subquery is too (or is VALUES). */
  private static boolean matches(LogicalJoin join) {
    return !join.getJoinType().projectsRight() && join.getLeft().stripped() instanceof StreamRel
        && (join.getRight().stripped() instanceof StreamRel || StaticInput.values(join.getRight().stripped()));
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalJoin join = call.rel(0);
    RelNode stream = join.getLeft();
    RelNode right = join.getRight();
    RexBuilder rex = join.getCluster().getRexBuilder();
    StaticInput table = StaticInput.of(right.stripped(), rex);
    if (table == null) {
      throw SubQueryJoins.notStatic(right);
    }
    int width = stream.getRowType().getFieldCount();
    List<RexNode> conditions = new ArrayList<>();
    RexNode unknownAsMatch = null;
    for (RexNode c : RelOptUtil.conjunctions(join.getCondition())) {
      if (c.getKind() == SqlKind.IS_NOT_FALSE) {
        unknownAsMatch = ((RexCall) c).getOperands().get(0);
      } else {
        conditions.add(c);
      }
    }
    int[] streamKeys;
    int[] tableKeys;
    Expr residual = null;
    boolean nullAware = unknownAsMatch != null;
    if (nullAware) {
      // NOT IN over a column that may be null: one equality of a stream column with a table column, nothing else.
      if (!conditions.isEmpty() || unknownAsMatch.getKind() != SqlKind.EQUALS
          || join.getJoinType() != JoinRelType.ANTI) {
        throw FreshetException.user(NOT_EXISTS);
      }
      List<RexNode> sides = ((RexCall) unknownAsMatch).getOperands();
      streamKeys = new int[] {((RexInputRef) sides.get(0)).getIndex()};
      tableKeys = new int[] {((RexInputRef) sides.get(1)).getIndex() - width};
    } else {
      JoinInfo info = JoinInfo.of(stream, right, RexUtil.composeConjunction(rex, conditions));
      streamKeys = info.leftKeys.toIntArray();
      tableKeys = info.rightKeys.toIntArray();
      RexNode rest = RexUtil.composeConjunction(rex, info.nonEquiConditions);
      residual = rest.isAlwaysTrue() ? null : new RexTranslator(rex).translate(rest);
    }
    for (int k = 0; k < streamKeys.length; k++) {
      TypeKind a = JoinBounds.type(stream, streamKeys[k]);
      TypeKind b = JoinBounds.type(right, tableKeys[k]);
      if (a != b) {
        throw FreshetException.user("The subquery compares " + stream.getRowType().getFieldNames().get(streamKeys[k])
            + " (" + a.sqlName() + ") with " + right.getRowType().getFieldNames().get(tableKeys[k]) + " ("
            + b.sqlName() + ") of " + table.table() + "; CAST one to the other's type");
      }
    }
    JoinType type = join.getJoinType() == JoinRelType.SEMI ? JoinType.SEMI : JoinType.ANTI;
    StaticJoinOperator.Spec spec = new StaticJoinOperator.Spec(type, true, Types.toSchema(stream.getRowType()),
        streamKeys, tableKeys, table.table(), table.schema(), table.calc(), table.values(), residual, nullAware, 0,
        false, null);
    call.transformTo(new StreamStaticJoin(join.getCluster(), join.getTraitSet().replace(StreamRel.STREAM), stream,
        join.getRowType(), spec));
  }
}
