package io.freshet.planner.translate;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.expr.VectorExpr;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.Types;
import io.freshet.planner.UserFunctionOperator;
import io.freshet.streaming.FreshetException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/** Translates Calcite row expressions into the runtime's {@link Expr} trees. */
public final class RexTranslator {
  private final RexBuilder rexBuilder;

  public RexTranslator(RexBuilder rexBuilder) {
    this.rexBuilder = rexBuilder;
  }

  public Expr translate(RexNode node) {
    if (node instanceof RexInputRef ref) {
      return new Expr.ColumnRef(ref.getIndex(), Types.toKind(ref.getType()));
    }
    if (node instanceof RexLiteral literal) {
      return literal(literal);
    }
    if (node instanceof RexCall call) {
      return call(call);
    }
    throw unsupported(node.toString());
  }

  private Expr literal(RexLiteral literal) {
    SqlTypeName typeName = literal.getType().getSqlTypeName();
    TypeKind type = Types.toKind(literal.getType());
    if (literal.isNull()) {
      return new Expr.Literal(null, type);
    }
    Object value = switch (type) {
      case BOOLEAN -> literal.getValueAs(Boolean.class);
      case INT -> literal.getValueAs(Integer.class);
      case BIGINT -> typeName.getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME
          ? literal.getValueAs(BigDecimal.class).longValue() : literal.getValueAs(Long.class);
      case DOUBLE -> literal.getValueAs(Double.class);
      case VARCHAR -> literal.getValueAs(String.class);
      case TIMESTAMP -> literal.getValueAs(Long.class);
    };
    return new Expr.Literal(value, type);
  }

  private Expr call(RexCall call) {
    SqlKind kind = call.getKind();
    TypeKind type = Types.toKind(call.getType());
    if (call.getOperator() instanceof UserFunctionOperator function) {
      List<Expr> args = new ArrayList<>();
      for (RexNode operand : call.getOperands()) {
        args.add(translate(operand));
      }
      return new Expr.Invoke(function.overload(call.getOperands().stream().map(RexNode::getType).toList()), args,
          type);
    }
    if (kind == SqlKind.EXTRACT) {
      return extract(call, type);
    }
    if (kind == SqlKind.SEARCH) {
      return translate(RexUtil.expandSearch(rexBuilder, null, call));
    }
    Op op = switch (kind) {
      case PLUS -> Op.PLUS;
      case MINUS -> Op.MINUS;
      case TIMES -> Op.TIMES;
      case DIVIDE -> Op.DIVIDE;
      case MOD -> Op.MOD;
      case MINUS_PREFIX -> Op.NEGATE;
      case EQUALS -> Op.EQ;
      case NOT_EQUALS -> Op.NE;
      case LESS_THAN -> Op.LT;
      case LESS_THAN_OR_EQUAL -> Op.LE;
      case GREATER_THAN -> Op.GT;
      case GREATER_THAN_OR_EQUAL -> Op.GE;
      case AND -> Op.AND;
      case OR -> Op.OR;
      case NOT -> Op.NOT;
      case IS_NULL -> Op.IS_NULL;
      case IS_NOT_NULL -> Op.IS_NOT_NULL;
      case IS_TRUE -> Op.IS_TRUE;
      case IS_NOT_TRUE -> Op.IS_NOT_TRUE;
      case IS_FALSE -> Op.IS_FALSE;
      case IS_NOT_FALSE -> Op.IS_NOT_FALSE;
      case CASE -> Op.CASE;
      case CAST -> Op.CAST;
      case LIKE -> Op.LIKE;
      case TRIM -> null;
      case PLUS_PREFIX -> null;
      default -> byName(call);
    };
    if (kind == SqlKind.PLUS_PREFIX) {
      return translate(call.getOperands().get(0));
    }
    if (kind == SqlKind.TRIM) {
      SqlTrimFunction.Flag flag = ((RexLiteral) call.getOperands().get(0)).getValueAs(SqlTrimFunction.Flag.class);
      Op trim = switch (flag) {
        case BOTH -> Op.TRIM_BOTH;
        case LEADING -> Op.TRIM_LEADING;
        case TRAILING -> Op.TRIM_TRAILING;
      };
      return Expr.call(trim, TypeKind.VARCHAR, translate(call.getOperands().get(1)),
          translate(call.getOperands().get(2)));
    }
    List<Expr> args = new ArrayList<>();
    for (RexNode operand : call.getOperands()) {
      args.add(translate(operand));
    }
    if (op == Op.LIKE && call.getOperator() instanceof SqlLikeOperator like && like.isNegated()) {
      return Expr.call(Op.NOT, TypeKind.BOOLEAN, new Expr.Call(Op.LIKE, args, TypeKind.BOOLEAN));
    }
    if (op == Op.MINUS || op == Op.PLUS) {
      if (type == TypeKind.TIMESTAMP && args.get(0).type() != TypeKind.TIMESTAMP) {
        // INTERVAL + TIMESTAMP: put the timestamp first.
        args = List.of(args.get(1), args.get(0));
      }
    }
    Expr result = new Expr.Call(op, args, type);
    if (op == Op.REGEXP_EXTRACT || op == Op.DATE_FORMAT) {
      // Compiled now, so a pattern that is not a literal, or not valid, is refused when the query is planned.
      VectorExpr.compile(result);
    }
    return result;
  }

  /**
   * HOUR(ts), MINUTE(ts), SECOND(ts) (Calcite's EXTRACT(unit FROM ts)): the unit's place in the timestamp's
   * milliseconds, computed as arithmetic (a floor modulo, right before 1970 too).
   */
  private Expr extract(RexCall call, TypeKind type) {
    TimeUnitRange unit = ((RexLiteral) call.getOperands().get(0)).getValueAs(TimeUnitRange.class);
    long[] periodAndUnit = switch (unit) {
      case HOUR -> new long[] {86_400_000L, 3_600_000L};
      case MINUTE -> new long[] {3_600_000L, 60_000L};
      case SECOND -> new long[] {60_000L, 1_000L};
      default -> throw FreshetException.user("EXTRACT of " + unit + " is not supported yet; HOUR, MINUTE and SECOND "
          + "are (HOUR(ts) or EXTRACT(HOUR FROM ts)); DATE_FORMAT(ts, 'yyyy') gives the year as text");
    };
    Expr millis = Expr.call(Op.CAST, TypeKind.BIGINT, translate(call.getOperands().get(1)));
    Expr period = new Expr.Literal(periodAndUnit[0], TypeKind.BIGINT);
    Expr within = Expr.call(Op.MOD, TypeKind.BIGINT, Expr.call(Op.PLUS, TypeKind.BIGINT,
        Expr.call(Op.MOD, TypeKind.BIGINT, millis, period), period), period);
    return Expr.call(Op.CAST, type, Expr.call(Op.DIVIDE, TypeKind.BIGINT, within,
        new Expr.Literal(periodAndUnit[1], TypeKind.BIGINT)));
  }

  private Op byName(RexCall call) {
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    return switch (name) {
      case "UPPER" -> Op.UPPER;
      case "LOWER" -> Op.LOWER;
      case "SUBSTRING" -> Op.SUBSTRING;
      case "CHAR_LENGTH", "CHARACTER_LENGTH" -> Op.CHAR_LENGTH;
      case "||", "CONCAT" -> Op.CONCAT;
      case "ABS" -> Op.ABS;
      case "MOD" -> Op.MOD;
      case "SPLIT_INDEX" -> Op.SPLIT_INDEX;
      case "REGEXP_EXTRACT" -> Op.REGEXP_EXTRACT;
      case "DATE_FORMAT" -> Op.DATE_FORMAT;
      case "PROCTIME" -> Op.PROCTIME;
      default -> throw unsupported(call.getOperator().getName());
    };
  }

  private static FreshetException unsupported(String what) {
    return FreshetException.user("The function or operator " + what + " is not supported yet");
  }
}
