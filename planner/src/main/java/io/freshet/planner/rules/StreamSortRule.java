package io.freshet.planner.rules;

import io.freshet.exec.operator.SortLimitOperator;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamSort;
import io.freshet.planner.rel.TimeAttribute;
import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Converts ORDER BY, LIMIT (FETCH FIRST) and OFFSET into a {@link StreamSort}. Whether the ORDER BY can keep a
 * stream in order depends on the output mode, which is chosen after the rules: the rule records why it cannot
 * (its first key is not the result's event time, ascending) and the output-mode validator refuses it outside
 * complete mode.
 */
public final class StreamSortRule extends RelRule<StreamRuleConfig<StreamSortRule>> {

  public static final StreamRuleConfig<StreamSortRule> DEFAULT = StreamRuleConfig.of("StreamSortRule",
      StreamSortRule::new, b0 -> b0.operand(LogicalSort.class).oneInput(b1 -> b1.operand(StreamRel.class)
          .anyInputs()));

  StreamSortRule(StreamRuleConfig<StreamSortRule> config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalSort sort = call.rel(0);
    List<RelFieldCollation> keys = sort.getCollation().getFieldCollations();
    int[] columns = new int[keys.size()];
    boolean[] descending = new boolean[keys.size()];
    boolean[] nullsFirst = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      RelFieldCollation key = keys.get(i);
      columns[i] = key.getFieldIndex();
      descending[i] = key.getDirection().isDescending();
      RelFieldCollation.NullDirection nulls = key.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED
          ? key.getDirection().defaultNullDirection() : key.nullDirection;
      nullsFirst[i] = nulls == RelFieldCollation.NullDirection.FIRST;
    }
    String problem = keys.isEmpty() ? null : orderProblem(sort, columns[0], descending[0]);
    SortLimitOperator.Spec spec = new SortLimitOperator.Spec(columns, descending, nullsFirst,
        count(sort.offset, "OFFSET", 0), count(sort.fetch, "LIMIT", -1), false, problem,
        Types.toSchema(sort.getRowType()));
    call.transformTo(new StreamSort(sort.getCluster(), sort.getTraitSet().replace(StreamRel.STREAM),
        sort.getInput(), spec));
  }

  /**
   * Why ORDER BY {@code column} cannot keep a stream in order, or null when it can: its first key must be the
   * event time of the result (a row time, or a window's bound), ascending, since each batch brings later times.
   */
  private static String orderProblem(LogicalSort sort, int column, boolean descending) {
    String name = sort.getRowType().getFieldList().get(column).getName();
    TimeAttribute time = StreamRel.timeAttributesOf(sort.getInput()).get(column);
    if (time.kind() == TimeAttribute.Kind.NONE) {
      return "its first key, " + name + ", is not the event time of the result, and a stream's rows come in the "
          + "order of their time only";
    }
    if (descending) {
      return "its first key, " + name + " DESC, sorts event time backwards, and each batch brings later times; "
          + "sort ascending on it";
    }
    if (time.kind() == TimeAttribute.Kind.WINDOW_START && time.span() == 0) {
      return "a session's start does not come in order (a session that closes later may have begun earlier); "
          + "ORDER BY window_end";
    }
    return null;
  }

  /** The value of a LIMIT or OFFSET, or {@code none} when there is none. */
  private static long count(RexNode value, String clause, long none) {
    if (value == null) {
      return none;
    }
    if (!(value instanceof RexLiteral literal) || !(literal.getValue() instanceof BigDecimal number)) {
      throw FreshetException.user(clause + " needs a number of rows, e.g. " + clause + " 10");
    }
    return number.longValueExact();
  }
}
