package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Call;
import io.freshet.exec.expr.Expr.ColumnRef;
import io.freshet.exec.expr.Expr.Literal;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an {@link Expr} tree into kernels. Operands of arithmetic and comparisons are cast to a common type
 * first, so each kernel sees one operand type; casts of literals and strict operators over a NULL literal are
 * folded at compile time.
 */
final class ExprCompiler {
  private static final Set<Op> ARITHMETIC = EnumSet.of(Op.PLUS, Op.MINUS, Op.TIMES, Op.DIVIDE, Op.MOD);
  private static final Set<Op> COMPARISON = EnumSet.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE);
  private static final Set<Op> NULL_TESTS = EnumSet.of(Op.IS_NULL, Op.IS_NOT_NULL, Op.IS_TRUE, Op.IS_NOT_TRUE,
      Op.IS_FALSE, Op.IS_NOT_FALSE);

  private ExprCompiler() { }

  /** The kernels of {@code expr}, giving exactly {@code expr.type()}. */
  static VectorExpr compile(Expr expr) {
    return cast(compileNode(expr), expr.type());
  }

  /**
   * The kernels of {@code expr}; arithmetic may compute in a type wider than the one Calcite declared (MOD of a
   * BIGINT by an INT is an INT to Calcite, but its dividend must not be cut to 32 bits). The caller casts.
   */
  private static VectorExpr compileNode(Expr expr) {
    if (expr instanceof ColumnRef c) {
      return new ColumnKernel(c.index(), c.type());
    }
    if (expr instanceof Literal l) {
      return new ConstantKernel(l.value() == null ? null : CastKernel.convertLiteral(l.value(), l.type()), l.type());
    }
    if (expr instanceof Expr.Invoke invoke) {
      List<VectorExpr> args = new ArrayList<>();
      for (int i = 0; i < invoke.args().size(); i++) {
        args.add(cast(compileNode(invoke.args().get(i)), invoke.function().parameters().get(i).kind()));
      }
      return new UserFunctionKernel(invoke.function(), args);
    }
    return compileCall((Call) expr);
  }

  private static VectorExpr compileCall(Call call) {
    Op op = call.op();
    List<VectorExpr> args = new ArrayList<>();
    for (Expr a : call.args()) {
      args.add(compileNode(a));
    }
    TypeKind type = call.type();
    if (ARITHMETIC.contains(op)) {
      VectorExpr a;
      VectorExpr b;
      TypeKind computed;
      if (type == TypeKind.TIMESTAMP) {
        computed = TypeKind.TIMESTAMP;
        a = cast(args.get(0), TypeKind.TIMESTAMP);
        b = cast(args.get(1), TypeKind.BIGINT);
      } else {
        computed = widest(widest(args.get(0).type(), args.get(1).type()), type);
        a = cast(args.get(0), computed);
        b = cast(args.get(1), computed);
      }
      // After the casts: a literal that does not convert (CAST('abc' AS INT)) is NULL too.
      return isNullConstant(a) || isNullConstant(b) ? new ConstantKernel(null, computed)
          : new ArithmeticKernel(op, computed, a, b);
    }
    if (COMPARISON.contains(op)) {
      TypeKind common = commonType(args.get(0).type(), args.get(1).type(), call);
      VectorExpr a = cast(args.get(0), common);
      VectorExpr b = cast(args.get(1), common);
      return isNullConstant(a) || isNullConstant(b) ? new ConstantKernel(null, type) : new CompareKernel(op, a, b);
    }
    if (isStrict(op) && args.stream().anyMatch(ExprCompiler::isNullConstant)) {
      return new ConstantKernel(null, type);
    }
    return switch (op) {
      case NEGATE -> new ArithmeticKernel(Op.MINUS, type, new ConstantKernel(
          type == TypeKind.DOUBLE ? (Object) 0.0 : type == TypeKind.INT ? (Object) 0 : (Object) 0L, type),
          cast(args.get(0), type));
      case ABS -> new CaseKernel(
          List.of(new CompareKernel(Op.LT, cast(args.get(0), type), zero(type))),
          List.of(new ArithmeticKernel(Op.MINUS, type, zero(type), cast(args.get(0), type))),
          cast(args.get(0), type), type);
      case AND, OR -> {
        VectorExpr result = args.get(0);
        for (int i = 1; i < args.size(); i++) {
          result = new LogicKernel(op, result, args.get(i));
        }
        yield result;
      }
      case NOT -> new LogicKernel(op, args.get(0), null);
      case IS_NULL, IS_NOT_NULL, IS_TRUE, IS_NOT_TRUE, IS_FALSE, IS_NOT_FALSE -> new LogicKernel(op, args.get(0), null);
      case CAST -> cast(args.get(0), type);
      case CASE -> {
        List<VectorExpr> conditions = new ArrayList<>();
        List<VectorExpr> values = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
          conditions.add(args.get(i));
          values.add(cast(args.get(i + 1), type));
        }
        VectorExpr otherwise = args.size() % 2 == 1 ? cast(args.get(args.size() - 1), type)
            : new ConstantKernel(null, type);
        yield new CaseKernel(conditions, values, otherwise, type);
      }
      case UPPER, LOWER, CHAR_LENGTH, LIKE -> {
        List<VectorExpr> casted = new ArrayList<>(args);
        casted.set(0, cast(args.get(0), TypeKind.VARCHAR));
        yield new StringKernel(op, casted, type);
      }
      case TRIM_BOTH, TRIM_LEADING, TRIM_TRAILING -> {
        if (!(args.get(0) instanceof ConstantKernel)) {
          throw FreshetException.user("TRIM takes the characters to remove as a literal, e.g. TRIM(BOTH 'x' FROM s)");
        }
        yield new StringKernel(op, List.of(args.get(0), cast(args.get(1), TypeKind.VARCHAR)), type);
      }
      case SUBSTRING -> {
        List<VectorExpr> casted = new ArrayList<>();
        casted.add(cast(args.get(0), TypeKind.VARCHAR));
        for (int i = 1; i < args.size(); i++) {
          casted.add(cast(args.get(i), TypeKind.BIGINT));
        }
        yield new StringKernel(op, casted, type);
      }
      case CONCAT -> {
        VectorExpr result = cast(args.get(0), TypeKind.VARCHAR);
        for (int i = 1; i < args.size(); i++) {
          result = new StringKernel(Op.CONCAT, List.of(result, cast(args.get(i), TypeKind.VARCHAR)), TypeKind.VARCHAR);
        }
        yield result;
      }
      case SPLIT_INDEX, REGEXP_EXTRACT -> {
        List<VectorExpr> casted = new ArrayList<>();
        casted.add(cast(args.get(0), TypeKind.VARCHAR));
        casted.add(cast(args.get(1), TypeKind.VARCHAR));
        if (args.size() > 2) {
          casted.add(cast(args.get(2), TypeKind.BIGINT));
        }
        yield new ExtractKernel(op, casted);
      }
      case DATE_FORMAT -> new ExtractKernel(op, List.of(cast(args.get(0), TypeKind.TIMESTAMP),
          cast(args.get(1), TypeKind.VARCHAR)));
      case PROCTIME -> new ProcessingTimeKernel();
      default -> throw new IllegalStateException("no kernel for " + op);
    };
  }

  private static boolean isStrict(Op op) {
    return op != Op.AND && op != Op.OR && op != Op.CASE && op != Op.PROCTIME && !NULL_TESTS.contains(op);
  }

  private static boolean isNullConstant(VectorExpr e) {
    return e instanceof ConstantKernel c && c.value() == null;
  }

  private static VectorExpr zero(TypeKind type) {
    return new ConstantKernel(type == TypeKind.DOUBLE ? (Object) 0.0 : type == TypeKind.INT ? (Object) 0 : (Object) 0L,
        type);
  }

  /** The wider of two numeric types (INT, BIGINT, DOUBLE); text counts as DOUBLE, as when it is cast. */
  private static TypeKind widest(TypeKind a, TypeKind b) {
    if (a == TypeKind.DOUBLE || b == TypeKind.DOUBLE || a == TypeKind.VARCHAR || b == TypeKind.VARCHAR) {
      return a == TypeKind.VARCHAR && b == TypeKind.VARCHAR ? TypeKind.DOUBLE
          : a == TypeKind.VARCHAR ? widest(b, b) : b == TypeKind.VARCHAR ? widest(a, a) : TypeKind.DOUBLE;
    }
    if (a == TypeKind.BIGINT || b == TypeKind.BIGINT || a == TypeKind.TIMESTAMP || b == TypeKind.TIMESTAMP) {
      return TypeKind.BIGINT;
    }
    return TypeKind.INT;
  }

  static TypeKind commonType(TypeKind a, TypeKind b, Object where) {
    if (a == b) {
      return a;
    }
    if (a.isNumeric() && b.isNumeric()) {
      return a == TypeKind.DOUBLE || b == TypeKind.DOUBLE ? TypeKind.DOUBLE : TypeKind.BIGINT;
    }
    if (a == TypeKind.VARCHAR || b == TypeKind.VARCHAR) {
      return a == TypeKind.VARCHAR ? b : a;
    }
    throw FreshetException.user("Cannot compare " + a.sqlName() + " with " + b.sqlName() + " in " + where);
  }

  /** A cast of {@code e} to {@code type}, folded when {@code e} is a constant. */
  static VectorExpr cast(VectorExpr e, TypeKind type) {
    if (e.type() == type) {
      return e;
    }
    if (e instanceof ConstantKernel c) {
      Object converted = CastKernel.convert(c.value(), type);
      return new ConstantKernel(converted == null ? null : CastKernel.convertLiteral(converted, type), type);
    }
    return new CastKernel(e, type);
  }
}
