package io.freshet.planner.rules;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.join.JoinType;
import io.freshet.exec.join.StaticJoinOperator;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.Types;
import io.freshet.planner.rel.StreamCalc;
import io.freshet.planner.rel.StreamRel;
import io.freshet.planner.rel.StreamStaticJoin;
import io.freshet.planner.rel.StreamTableScan;
import io.freshet.planner.translate.CalcTranslator;
import io.freshet.planner.translate.RexTranslator;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;

/**
 * The static side of a stream–static join: a bounded table of the catalog (a file source with {@code 'bounded' =
 * 'true'}, a memory table, a bounded generator), or VALUES, either optionally filtered and projected. It is read by
 * the join's operator when the query starts, not streamed.
 *
 * @param table the table's name ({@code VALUES} for values)
 * @param schema the table's columns, before {@code calc}
 * @param calc the filter and projection over the table, or null
 * @param values the rows of VALUES, or null for a table
 */
record StaticInput(String table, RowSchema schema, CalcOperator.Spec calc, List<List<Object>> values) {

  /** Whether {@code rel} is VALUES, or a filter and projection over it. */
  static boolean values(RelNode rel) {
    RelNode below = rel instanceof Calc c ? c.getInput().stripped() : rel;
    return below instanceof Values && !(rel instanceof StreamRel);
  }

  /** {@code rel} as a static table, or null when it is not one (a stream, or more than a table and a Calc). */
  static StaticInput of(RelNode rel, RexBuilder rexBuilder) {
    if (values(rel)) {
      Values v = (Values) (rel instanceof Calc c ? c.getInput().stripped() : rel);
      RexTranslator translator = new RexTranslator(rexBuilder);
      List<List<Object>> rows = new ArrayList<>();
      for (List<RexLiteral> tuple : v.getTuples()) {
        List<Object> row = new ArrayList<>();
        for (RexLiteral literal : tuple) {
          row.add(((Expr.Literal) translator.translate(literal)).value());
        }
        rows.add(row);
      }
      return new StaticInput("VALUES", Types.toSchema(v.getRowType()), rel instanceof Calc c
          ? CalcTranslator.translate(c) : null, rows);
    }
    CalcOperator.Spec calc = null;
    RelNode below = rel;
    if (rel instanceof StreamCalc c) {
      calc = c.spec();
      below = c.getInput().stripped();
    }
    if (below instanceof StreamTableScan && StreamTableScan.readsOnlyBounded(below)) {
      PlannerTable table = StreamTableScan.sourceBelow(below);
      return new StaticInput(table.name(), table.schema(), calc, null);
    }
    return null;
  }

  /**
   * The stream–static join of {@code join}, whose stream is its left input when {@code streamLeft}; refused for an
   * outer join that would have to emit the table's rows that never match (FULL, or outer on the table's side).
   */
  static StreamStaticJoin join(LogicalJoin join, JoinType type, boolean streamLeft, StaticInput table,
      int[] leftKeys, int[] rightKeys, Expr condition) {
    JoinType kept = switch (type) {
      case INNER -> JoinType.INNER;
      case LEFT -> streamLeft ? JoinType.LEFT : null;
      case RIGHT -> streamLeft ? null : JoinType.LEFT;
      case FULL, SEMI, ANTI -> null;
    };
    if (kept == null) {
      throw FreshetException.user("A " + type.sql() + " join of a stream with the static table " + table.table()
          + " would have to tell when a table row can no longer match, which a stream never does; use an INNER "
          + "join, or an outer join that keeps the stream's rows (stream LEFT JOIN table)");
    }
    RelNode stream = streamLeft ? join.getLeft() : join.getRight();
    StaticJoinOperator.Spec spec = new StaticJoinOperator.Spec(kept, streamLeft,
        Types.toSchema(stream.getRowType()), streamLeft ? leftKeys : rightKeys, streamLeft ? rightKeys : leftKeys,
        table.table(), table.schema(), table.calc(), table.values(), condition, false, 0, false, null);
    return new StreamStaticJoin(join.getCluster(), join.getTraitSet().replace(StreamRel.STREAM), stream,
        join.getRowType(), spec);
  }
}
