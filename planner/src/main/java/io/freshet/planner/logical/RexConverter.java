package io.freshet.planner.logical;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.Types;
import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.TimestampString;

/** Turns the Java API's {@link Expression}s into Calcite row expressions over the columns of a {@link Scope}. */
final class RexConverter {
  private static final Map<String, SqlOperator> OPERATORS = Map.ofEntries(
      Map.entry("+", SqlStdOperatorTable.PLUS), Map.entry("-", SqlStdOperatorTable.MINUS),
      Map.entry("*", SqlStdOperatorTable.MULTIPLY), Map.entry("/", SqlStdOperatorTable.DIVIDE),
      Map.entry("%", SqlStdOperatorTable.MOD), Map.entry("=", SqlStdOperatorTable.EQUALS),
      Map.entry("<>", SqlStdOperatorTable.NOT_EQUALS), Map.entry("<", SqlStdOperatorTable.LESS_THAN),
      Map.entry("<=", SqlStdOperatorTable.LESS_THAN_OR_EQUAL), Map.entry(">", SqlStdOperatorTable.GREATER_THAN),
      Map.entry(">=", SqlStdOperatorTable.GREATER_THAN_OR_EQUAL), Map.entry("AND", SqlStdOperatorTable.AND),
      Map.entry("OR", SqlStdOperatorTable.OR), Map.entry("NOT", SqlStdOperatorTable.NOT),
      Map.entry("IS NULL", SqlStdOperatorTable.IS_NULL), Map.entry("IS NOT NULL", SqlStdOperatorTable.IS_NOT_NULL),
      Map.entry("LIKE", SqlStdOperatorTable.LIKE), Map.entry("NEGATE", SqlStdOperatorTable.UNARY_MINUS));

  private final LogicalContext context;
  private final RelBuilder builder;

  RexConverter(LogicalContext context, RelBuilder builder) {
    this.context = context;
    this.builder = builder;
  }

  /** {@code e} over the columns of {@code scope}; an aggregate or a window is refused ({@code where} says where). */
  RexNode convert(Expression e, Scope scope, String where) {
    RexBuilder rex = builder.getRexBuilder();
    if (e instanceof Expression.Ref || e instanceof Expression.DatasetRef) {
      int column = scope.resolve(e);
      return rex.makeInputRef(scope.type(column), column);
    }
    if (e instanceof Expression.Position p) {
      return rex.makeInputRef(scope.type(p.index()), p.index());
    }
    if (e instanceof Expression.Alias a) {
      return convert(a.operand(), scope, where);
    }
    if (e instanceof Expression.Literal l) {
      return literal(l.value());
    }
    if (e instanceof Expression.Cast c) {
      return rex.makeCast(type(c.type()), convert(c.operand(), scope, where), true, false);
    }
    if (e instanceof Expression.Call c) {
      return call(c, scope, where);
    }
    if (e instanceof Expression.Sql s) {
      try {
        return context.expression(s.expression(), scope.rel().getRowType());
      } catch (CalciteException ex) {
        Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
        throw FreshetException.user("Cannot read expression \"" + s.text() + "\": " + cause.getMessage(), ex);
      }
    }
    if (e instanceof Expression.Aggregate a) {
      throw FreshetException.user("Aggregate " + a.name() + " in " + where + ": aggregates go in groupBy(...).agg(...)"
          + " or in a select of aggregates only");
    }
    if (e instanceof Expression.Window || e instanceof Expression.SessionWindow) {
      throw FreshetException.user(e.name() + "(...) in " + where + ": a window is a grouping key, used as "
          + "groupBy(window(col(\"ts\"), \"10 seconds\"), ...)");
    }
    throw FreshetException.user("'*' in " + where + ": it stands for all columns only in select(...)");
  }

  private RexNode call(Expression.Call c, Scope scope, String where) {
    List<RexNode> operands = new ArrayList<>();
    for (Expression o : c.operands()) {
      operands.add(convert(o, scope, where));
    }
    String name = c.operator().toUpperCase(Locale.ROOT);
    if (name.equals("IN")) {
      List<RexNode> equal = new ArrayList<>();
      for (RexNode value : operands.subList(1, operands.size())) {
        equal.add(builder.equals(operands.get(0), value));
      }
      return equal.isEmpty() ? builder.literal(false) : builder.or(equal);
    }
    if (name.equals("COALESCE") && !operands.isEmpty()) {
      return coalesce(operands);
    }
    SqlOperator op = OPERATORS.get(name);
    if (op == null) {
      op = context.function(name);
    }
    if (op == null) {
      throw FreshetException.user("No function named '" + c.operator() + "' (in " + where + "); SHOW FUNCTIONS lists "
          + "them");
    }
    try {
      return builder.call(op, operands);
    } catch (RuntimeException ex) {
      throw FreshetException.user("Cannot apply " + c.operator() + " to " + c.operands().stream()
          .map(Expression::name).toList() + " (in " + where + "): " + ex.getMessage(), ex);
    }
  }

  /**
   * COALESCE as SQL's validator rewrites it, a CASE of the operands that are not null (the runtime has no
   * COALESCE of its own).
   */
  RexNode coalesce(List<RexNode> operands) {
    List<RexNode> cases = new ArrayList<>();
    for (RexNode o : operands.subList(0, operands.size() - 1)) {
      cases.add(builder.isNotNull(o));
      cases.add(o);
    }
    cases.add(operands.get(operands.size() - 1));
    return cases.size() == 1 ? cases.get(0) : builder.call(SqlStdOperatorTable.CASE, cases);
  }

  private RexNode literal(Object value) {
    RexBuilder rex = builder.getRexBuilder();
    if (value instanceof Integer i) {
      return rex.makeExactLiteral(BigDecimal.valueOf(i), type("INTEGER"));
    }
    if (value instanceof Long l) {
      return rex.makeExactLiteral(BigDecimal.valueOf(l), type("BIGINT"));
    }
    if (value instanceof java.sql.Timestamp t) {
      return rex.makeTimestampLiteral(TimestampString.fromMillisSinceEpoch(t.getTime()), 3);
    }
    if (value instanceof java.time.Instant t) {
      return rex.makeTimestampLiteral(TimestampString.fromMillisSinceEpoch(t.toEpochMilli()), 3);
    }
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
      return builder.literal(value);
    }
    throw FreshetException.user("lit(" + value + "): a " + value.getClass().getSimpleName() + " is not a SQL "
        + "value; use a String, Boolean, Integer, Long, Double, BigDecimal or java.sql.Timestamp");
  }

  /** The Calcite type of a SQL type name as the Java API takes it ({@code BIGINT}, {@code STRING}, ...). */
  RelDataType type(String sqlName) {
    TypeKind kind = TypeKind.fromSqlName(sqlName.replaceAll("\\(.*\\)", "").trim());
    if (kind == null) {
      throw FreshetException.user("Unknown type '" + sqlName + "'; use BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR "
          + "(or STRING) or TIMESTAMP");
    }
    return Types.toCalcite(new Column("value", kind, true), builder.getTypeFactory());
  }
}
