package io.freshet.planner.logical;

import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
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

  private static final SqlParserPos POS = SqlParserPos.ZERO;

  private final LogicalContext context;
  private final RelBuilder builder;

  RexConverter(LogicalContext context, RelBuilder builder) {
    this.context = context;
    this.builder = builder;
  }

  /**
   * {@code e} over the columns of {@code scope}; an aggregate or a window is refused ({@code where} says where).
   * A column is read as it is; anything computed is written as a SQL expression over the columns (each named by a
   * placeholder) and validated and converted as SQL is, so that its types are checked and coerced, and its functions
   * rewritten, exactly as in a query.
   */
  RexNode convert(Expression e, Scope scope, String where) {
    if (e instanceof Expression.Alias a) {
      return convert(a.operand(), scope, where);
    }
    if (e instanceof Expression.Ref || e instanceof Expression.DatasetRef || e instanceof Expression.Position) {
      int column = index(e, scope);
      return builder.getRexBuilder().makeInputRef(scope.type(column), column);
    }
    Map<String, RelDataType> types = new HashMap<>();
    Map<String, RexNode> columns = new HashMap<>();
    SqlNode node = new SqlWriter(scope, where, types, columns).sql(e);
    try {
      return context.expression(node, types, columns);
    } catch (CalciteException ex) {
      Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
      throw FreshetException.user("Cannot compute " + e.name() + " (in " + where + "): "
          + cause.getMessage().replace("$c", "column #"), ex);
    }
  }

  private static int index(Expression e, Scope scope) {
    return e instanceof Expression.Position p ? p.index() : scope.resolve(e);
  }

  /** An {@link Expression} as SQL over placeholders of the scope's columns ({@code $c0}, {@code $c1}, ...). */
  private final class SqlWriter {
    private final Scope scope;
    private final String where;
    private final Map<String, RelDataType> types;
    private final Map<String, RexNode> columns;

    SqlWriter(Scope scope, String where, Map<String, RelDataType> types, Map<String, RexNode> columns) {
      this.scope = scope;
      this.where = where;
      this.types = types;
      this.columns = columns;
    }

    SqlNode column(int index) {
      String name = "$c" + index;
      types.put(name, scope.type(index));
      columns.put(name, builder.getRexBuilder().makeInputRef(scope.type(index), index));
      return new SqlIdentifier(name, POS);
    }

    SqlNode sql(Expression e) {
      if (e instanceof Expression.Alias a) {
        return sql(a.operand());
      }
      if (e instanceof Expression.Ref || e instanceof Expression.DatasetRef || e instanceof Expression.Position) {
        return column(index(e, scope));
      }
      if (e instanceof Expression.Literal l) {
        return literal(l.value());
      }
      if (e instanceof Expression.Cast c) {
        return SqlStdOperatorTable.CAST.createCall(POS, sql(c.operand()), typeSpec(c.type()));
      }
      if (e instanceof Expression.Call c) {
        return call(c);
      }
      if (e instanceof Expression.Sql s) {
        // The user's SQL text, its column names read in this scope (aliases, window.start and all).
        return s.expression().get().accept(new SqlShuttle() {
          @Override
          public SqlNode visit(SqlIdentifier id) {
            if (id.isStar()) {
              throw FreshetException.user("'*' in \"" + s.text() + "\" (in " + where + "): it stands for all "
                  + "columns only in select(\"*\") and count(\"*\")");
            }
            String qualifier = id.names.size() > 1 ? id.names.get(id.names.size() - 2) : null;
            String name = id.names.get(id.names.size() - 1);
            Expression ref = qualifier != null && qualifier.equalsIgnoreCase("window")
                ? new Expression.Ref(null, "window." + name) : new Expression.Ref(qualifier, name);
            return column(scope.resolve(ref));
          }
        });
      }
      if (e instanceof Expression.Aggregate a) {
        throw FreshetException.user("Aggregate " + a.name() + " in " + where + ": aggregates go in "
            + "groupBy(...).agg(...) or in a select of aggregates only");
      }
      if (e instanceof Expression.Window || e instanceof Expression.SessionWindow) {
        throw FreshetException.user(e.name() + "(...) in " + where + ": a window is a grouping key, used as "
            + "groupBy(window(col(\"ts\"), \"10 seconds\"), ...)");
      }
      throw FreshetException.user("'*' in " + where + ": it stands for all columns only in select(...)");
    }

    private SqlNode call(Expression.Call c) {
      List<SqlNode> operands = new ArrayList<>();
      for (Expression o : c.operands()) {
        operands.add(sql(o));
      }
      String name = c.operator().toUpperCase(Locale.ROOT);
      if (name.equals("IN")) {
        return SqlStdOperatorTable.IN.createCall(POS, operands.get(0),
            new SqlNodeList(operands.subList(1, operands.size()), POS));
      }
      SqlOperator op = OPERATORS.get(name);
      if (op == null) {
        op = context.function(name);
      }
      if (op == null || op.isAggregator()) {
        throw FreshetException.user("No " + (op == null ? "" : "scalar ") + "function named '" + c.operator()
            + "' (in " + where + "); SHOW FUNCTIONS lists them" + (op == null ? "" : ", and aggregates go in agg(...)"));
      }
      return op.createCall(POS, operands);
    }
  }

  private static SqlNode literal(Object value) {
    if (value == null) {
      return SqlLiteral.createNull(POS);
    }
    if (value instanceof String s) {
      return SqlLiteral.createCharString(s, POS);
    }
    if (value instanceof Boolean b) {
      return SqlLiteral.createBoolean(b, POS);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return SqlLiteral.createExactNumeric(value.toString(), POS);
    }
    if (value instanceof Long l) {
      // A Java long is a BIGINT, as Spark's lit(5L).
      return SqlStdOperatorTable.CAST.createCall(POS, SqlLiteral.createExactNumeric(l.toString(), POS),
          typeSpec("BIGINT"));
    }
    if (value instanceof BigDecimal d) {
      return SqlLiteral.createExactNumeric(d.toPlainString(), POS);
    }
    if (value instanceof Double || value instanceof Float) {
      return SqlLiteral.createApproxNumeric(new BigDecimal(value.toString()).toString(), POS);
    }
    LocalDateTime time = value instanceof LocalDateTime t ? t : value instanceof java.sql.Timestamp t
        ? t.toLocalDateTime() : value instanceof java.time.Instant t ? LocalDateTime.ofInstant(t, ZoneOffset.UTC)
        : null;
    if (time != null) {
      TimestampString ts = new TimestampString(time.getYear(), time.getMonthValue(), time.getDayOfMonth(),
          time.getHour(), time.getMinute(), time.getSecond()).withMillis(time.getNano() / 1_000_000);
      return SqlLiteral.createTimestamp(SqlTypeName.TIMESTAMP, ts, 3, POS);
    }
    throw FreshetException.user("lit(" + value + "): a " + value.getClass().getSimpleName() + " is not a SQL "
        + "value; use a String, Boolean, Integer, Long, Double, BigDecimal, LocalDateTime or java.sql.Timestamp");
  }

  /** The SQL type {@code sqlName} as the Java API takes it ({@code BIGINT}, {@code STRING}, ...). */
  private static SqlDataTypeSpec typeSpec(String sqlName) {
    TypeKind kind = TypeKind.fromSqlName(sqlName.replaceAll("\\(.*\\)", "").trim());
    if (kind == null) {
      throw FreshetException.user("Unknown type '" + sqlName + "'; use BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR "
          + "(or STRING) or TIMESTAMP");
    }
    SqlTypeName name = switch (kind) {
      case BOOLEAN -> SqlTypeName.BOOLEAN;
      case INT -> SqlTypeName.INTEGER;
      case BIGINT -> SqlTypeName.BIGINT;
      case DOUBLE -> SqlTypeName.DOUBLE;
      case VARCHAR -> SqlTypeName.VARCHAR;
      case TIMESTAMP -> SqlTypeName.TIMESTAMP;
    };
    SqlBasicTypeNameSpec spec = kind == TypeKind.TIMESTAMP ? new SqlBasicTypeNameSpec(name, 3, POS)
        : new SqlBasicTypeNameSpec(name, POS);
    return new SqlDataTypeSpec(spec, POS);
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
}
