package io.freshet.planner.rules;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.SplitOperator;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamCalc;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamSplit;
import io.freshet.planner.translate.CalcTranslator;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalCalc;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rex.RexProgram;

/**
 * Converts {@code CROSS JOIN UNNEST(SPLIT(s, 'delimiter'))} over a stream into a {@link StreamSplit} over a
 * {@link StreamCalc} that passes {@code s} on in the place of the array (the runtime has no arrays).
 */
public final class StreamSplitRule extends RelRule<StreamRuleConfig<StreamSplitRule>> {

  public static final StreamRuleConfig<StreamSplitRule> DEFAULT = StreamRuleConfig.of("StreamSplitRule",
      StreamSplitRule::new,
      b0 -> b0.operand(LogicalCorrelate.class).inputs(
          b1 -> b1.operand(LogicalCalc.class).oneInput(b2 -> b2.operand(StreamRel.class).anyInputs()),
          b3 -> b3.operand(RelNode.class).anyInputs()));

  StreamSplitRule(StreamRuleConfig<StreamSplitRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalCorrelate correlate = call.rel(0);
    LogicalCalc leftCalc = call.rel(1);
    UnnestSplit unnest = UnnestSplit.of(correlate);
    RelTraitSet traits = correlate.getTraitSet().replace(StreamRel.STREAM);
    RexProgram program = unnest.leftProgram(correlate.getCluster().getRexBuilder());
    StreamCalc left = new StreamCalc(leftCalc.getCluster(), traits, leftCalc.getInput(), program);
    RowSchema leftSchema = Types.toSchema(program.getOutputRowType());
    SplitOperator.Spec split = new SplitOperator.Spec(leftSchema, unnest.column(), unnest.delimiter(),
        unnest.pieceName());
    CalcOperator.Spec after = unnest.after() == null ? null
        : after(leftSchema, CalcTranslator.translate(unnest.after()));
    call.transformTo(new StreamSplit(correlate.getCluster(), traits, left, correlate.getRowType(), split, after));
  }

  /** The left side's columns as they are, then the unnested side's Calc over the piece (which follows them). */
  private static CalcOperator.Spec after(RowSchema leftSchema, CalcOperator.Spec overPiece) {
    int width = leftSchema.size();
    List<Expr> projections = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      projections.add(new Expr.ColumnRef(i, leftSchema.type(i)));
    }
    for (Expr e : overPiece.projections()) {
      projections.add(shift(e, width));
    }
    List<Column> columns = new ArrayList<>(leftSchema.columns());
    columns.addAll(overPiece.outputSchema().columns());
    Expr condition = overPiece.condition() == null ? null : shift(overPiece.condition(), width);
    return new CalcOperator.Spec(condition, projections, new RowSchema(columns));
  }

  /** {@code e} reading column i + {@code by} where it read column i. */
  private static Expr shift(Expr e, int by) {
    if (e instanceof Expr.ColumnRef r) {
      return new Expr.ColumnRef(r.index() + by, r.type());
    }
    return Expr.withArgs(e, Expr.args(e).stream().map(a -> shift(a, by)).toList());
  }
}
