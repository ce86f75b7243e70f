package io.freshet.planner.rules;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.window.SessionAggregateOperator;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamSessionAggregate;
import io.freshet.planner.translate.AggregateCallTranslator;
import io.freshet.planner.translate.CalcTranslator;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalCalc;
import org.apache.calcite.rel.logical.LogicalTableFunctionScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLocalRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Fuses SESSION over a stream and the GROUP BY over it, with or without a Calc between them, into a
 * {@link StreamSessionAggregate}. The GROUP BY may use the window's bounds and the session's PARTITION BY keys (all
 * of them); the Calc between may only select columns, filter on the input's, and compute the conditions of the
 * aggregates' {@code FILTER (WHERE ...)} from the input's (which are then computed before the window).
 */
public final class StreamSessionAggregateRule extends RelRule<StreamRuleConfig<StreamSessionAggregateRule>> {

  /** GROUP BY directly over SESSION. */
  public static final StreamRuleConfig<StreamSessionAggregateRule> DEFAULT = StreamRuleConfig.of(
      "StreamSessionAggregateRule", StreamSessionAggregateRule::new,
      b0 -> b0.operand(LogicalAggregate.class).oneInput(b1 -> session(b1)));

  /** GROUP BY over a Calc (a WHERE, the columns selected) over SESSION. */
  public static final StreamRuleConfig<StreamSessionAggregateRule> WITH_CALC = StreamRuleConfig.of(
      "StreamSessionAggregateRule:Calc", StreamSessionAggregateRule::new,
      b0 -> b0.operand(LogicalAggregate.class).oneInput(b1 -> b1.operand(LogicalCalc.class)
          .oneInput(b2 -> session(b2))));

  private static Done session(OperandBuilder b) {
    return b.operand(LogicalTableFunctionScan.class).predicate(WindowArguments::isSession)
        .oneInput(b1 -> b1.operand(StreamRel.class).anyInputs());
  }

  StreamSessionAggregateRule(StreamRuleConfig<StreamSessionAggregateRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalAggregate agg = call.rel(0);
    LogicalCalc between = call.rels.length == 4 ? call.rel(1) : null;
    LogicalTableFunctionScan scan = call.rel(call.rels.length - 2);
    UnsupportedShapes.refuseGroupingSets(agg);
    RelNode input = scan.getInputs().get(0);
    int width = input.getRowType().getFieldCount();
    int time = WindowArguments.timeColumn(scan, input);
    List<RexNode> args = WindowArguments.call(scan).getOperands();
    int[] partitionKeys = new int[0];
    if (args.size() == 3) {
      partitionKeys = ((RexCall) args.get(1)).getOperands().stream()
          .mapToInt(key -> ((RexInputRef) key).getIndex()).toArray();
    }
    long gap = WindowArguments.interval(scan, args.size() - 1, "gap");
    // Columns of the aggregation's input, as columns of the session table function's output.
    int[] mapping = IntStream.range(0, agg.getInput().getRowType().getFieldCount()).toArray();
    // The same for the aggregates' arguments and filters, a FILTER condition computed before the window (after the
    // input's columns) when the Calc between computes it.
    int[] callMapping = mapping.clone();
    List<Expr> conditions = new ArrayList<>();
    Expr filter = null;
    if (between != null) {
      CalcOperator.Spec mid = CalcTranslator.translate(between);
      RexProgram program = between.getProgram();
      Set<Integer> filterOnly = filterOnlyColumns(agg);
      for (int i = 0; i < mapping.length; i++) {
        if (mid.projections().get(i) instanceof Expr.ColumnRef ref) {
          mapping[i] = ref.index();
          callMapping[i] = ref.index();
        } else if (filterOnly.contains(i)) {
          if (readsWindow(program, program.getProjectList().get(i), width)) {
            throw FreshetException.user("A FILTER (WHERE ...) of an aggregate over a SESSION window may not read "
                + "window_start, window_end or window_time");
          }
          callMapping[i] = width + conditions.size();
          conditions.add(mid.projections().get(i));
        } else {
          throw FreshetException.user("Between SESSION and its GROUP BY only plain columns may be selected; "
              + "compute expressions before the window (in a view) or after the aggregation");
        }
      }
      if (mid.condition() != null) {
        if (readsWindow(program, program.getCondition(), width)) {
          throw FreshetException.user("A WHERE over a SESSION window may not read window_start, window_end or "
              + "window_time; filter after the aggregation");
        }
        filter = mid.condition();
      }
    }
    int[] layout = layout(agg.getGroupSet().toArray(), mapping, partitionKeys, width, input);
    for (org.apache.calcite.rel.core.AggregateCall c : agg.getAggCallList()) {
      if (c.getArgList().stream().anyMatch(arg -> callMapping[arg] >= width)) {
        throw FreshetException.user("Aggregates over a SESSION window read the input's columns, not its "
            + "window columns");
      }
    }
    List<AggregateCall> calls = AggregateCallTranslator.translate(agg, withConditions(input, conditions),
        callMapping);
    for (AggregateCall c : calls) {
      if (c.kind() == AggregateCall.Kind.COUNT_DISTINCT) {
        throw FreshetException.user("COUNT(DISTINCT ...) over SESSION windows is not supported yet (merging "
            + "sessions would merge their distinct sets); use APPROX_COUNT_DISTINCT");
      }
    }
    SessionAggregateOperator.Spec spec = new SessionAggregateOperator.Spec(time, partitionKeys, gap, calls, layout,
        Types.toSchema(agg.getRowType()));
    call.transformTo(new StreamSessionAggregate(agg.getCluster(), agg.getTraitSet().replace(StreamRel.STREAM), input,
        agg.getRowType(), spec, filter, conditions));
  }

  /** The aggregation's input columns read only as the FILTER of an aggregate (not grouped on, not aggregated). */
  private static Set<Integer> filterOnlyColumns(LogicalAggregate agg) {
    Set<Integer> columns = new HashSet<>();
    for (org.apache.calcite.rel.core.AggregateCall c : agg.getAggCallList()) {
      if (c.filterArg >= 0) {
        columns.add(c.filterArg);
      }
    }
    for (org.apache.calcite.rel.core.AggregateCall c : agg.getAggCallList()) {
      columns.removeAll(c.getArgList());
    }
    columns.removeAll(agg.getGroupSet().asList());
    return columns;
  }

  /** Whether {@code ref} of {@code program} reads a column at or past {@code width} (a window column). */
  private static boolean readsWindow(RexProgram program, RexLocalRef ref, int width) {
    return RelOptUtil.InputFinder.bits(program.expandLocalRef(ref)).nextSetBit(width) >= 0;
  }

  /** The session's input row type with a BOOLEAN column per computed FILTER condition after its columns. */
  private static RelDataType withConditions(RelNode input, List<Expr> conditions) {
    RelDataTypeFactory types = input.getCluster().getTypeFactory();
    RelDataTypeFactory.Builder row = types.builder().addAll(input.getRowType().getFieldList());
    for (int j = 0; j < conditions.size(); j++) {
      row.add("$filter" + j, types.createTypeWithNullability(types.createSqlType(SqlTypeName.BOOLEAN), true));
    }
    return row.build();
  }

  /**
   * For each GROUP BY key (a column of the aggregation's input, read through {@code mapping}), which window bound or
   * which PARTITION BY key it is; every PARTITION BY key must be grouped on.
   */
  private static int[] layout(int[] groupKeys, int[] mapping, int[] partitionKeys, int width, RelNode input) {
    int[] layout = new int[groupKeys.length];
    Set<Integer> grouped = new HashSet<>();
    for (int k = 0; k < groupKeys.length; k++) {
      int column = mapping[groupKeys[k]];
      if (column == width) {
        layout[k] = SessionAggregateOperator.WINDOW_START;
      } else if (column == width + 1) {
        layout[k] = SessionAggregateOperator.WINDOW_END;
      } else if (column == width + 2) {
        layout[k] = SessionAggregateOperator.WINDOW_TIME;
      } else {
        int position = IntStream.range(0, partitionKeys.length).filter(p -> partitionKeys[p] == column).findFirst()
            .orElse(-1);
        if (position < 0) {
          String name = input.getRowType().getFieldList().get(column).getName();
          throw FreshetException.user("GROUP BY over a SESSION window may use window_start, window_end, "
              + "window_time and the session's PARTITION BY keys, but " + name + " is not a key; add PARTITION BY "
              + name);
        }
        layout[k] = position;
        grouped.add(position);
      }
    }
    if (grouped.size() != partitionKeys.length) {
      throw FreshetException.user("GROUP BY over a SESSION window must name all of its PARTITION BY keys");
    }
    return layout;
  }
}
