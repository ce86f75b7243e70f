package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.util.function.LongUnaryOperator;
import org.apache.arrow.vector.FieldVector;

/**
 * A filter conjunct of the shape {@code column <cmp> constant} or {@code (column <arith> constant) <cmp>
 * constant} over integers or timestamps, evaluated in one pass straight into the selection vector: no
 * intermediate vectors, no allocation. Division and remainder by the constant use {@link LongDivisor}.
 */
final class FusedComparison {
  private final int column;
  private final int width;
  private final Op comparison;
  private final long constant;
  private final LongUnaryOperator arithmetic;

  private FusedComparison(int column, int width, Op comparison, long constant, LongUnaryOperator arithmetic) {
    this.column = column;
    this.width = width;
    this.comparison = comparison;
    this.constant = constant;
    this.arithmetic = arithmetic;
  }

  /** The fused form of {@code kernel}, or null when it does not have a fusable shape. */
  static FusedComparison of(VectorExpr kernel) {
    if (!(kernel instanceof CompareKernel compare) || !(compare.right() instanceof ConstantKernel c)
        || !(c.value() instanceof Number limit) || !isIntegral(compare.left().type())) {
      return null;
    }
    VectorExpr left = compare.left();
    if (left instanceof ColumnKernel col) {
      return new FusedComparison(col.index(), col.type().width(), compare.op(), limit.longValue(), null);
    }
    if (left instanceof ArithmeticKernel arith && arith.left() instanceof ColumnKernel col
        && isIntegral(col.type()) && arith.right() instanceof ConstantKernel k && k.value() instanceof Number n) {
      long operand = n.longValue();
      LongUnaryOperator f = switch (arith.op()) {
        case PLUS -> v -> v + operand;
        case MINUS -> v -> v - operand;
        case TIMES -> v -> v * operand;
        case MOD -> operand >= 2 ? remainder(new LongDivisor(operand)) : null;
        case DIVIDE -> operand >= 2 ? quotient(new LongDivisor(operand)) : null;
        default -> null;
      };
      if (f == null) {
        return null;
      }
      return new FusedComparison(col.index(), col.type().width(), compare.op(), limit.longValue(),
          arith.type() == TypeKind.INT ? v -> (int) f.applyAsLong(v) : f);
    }
    return null;
  }

  private static LongUnaryOperator remainder(LongDivisor d) {
    return d::remainder;
  }

  private static LongUnaryOperator quotient(LongDivisor d) {
    return d::divide;
  }

  private static boolean isIntegral(TypeKind type) {
    return type == TypeKind.INT || type == TypeKind.BIGINT || type == TypeKind.TIMESTAMP;
  }

  /**
   * Keeps the rows of {@code context} that pass, writing them to {@code selection} in place (position
   * {@code kept} is written only after position {@code i >= kept} was read). Returns how many passed.
   */
  int filter(EvalContext context, int[] selection) {
    FieldVector vector = context.batch().vector(column);
    long data = Vectors.data(vector);
    long valid = Vectors.validity(vector);
    boolean nulls = vector.getNullCount() > 0;
    int[] in = context.selection();
    int n = context.count();
    int kept = 0;
    LongUnaryOperator f = arithmetic;
    long c = constant;
    for (int i = 0; i < n; i++) {
      int row = in == null ? i : in[i];
      if (nulls && !Vectors.bit(valid, row)) {
        continue;
      }
      long v = Vectors.readLong(data, width, row);
      if (f != null) {
        v = f.applyAsLong(v);
      }
      boolean pass = switch (comparison) {
        case EQ -> v == c;
        case NE -> v != c;
        case LT -> v < c;
        case LE -> v <= c;
        case GT -> v > c;
        case GE -> v >= c;
        default -> throw new IllegalStateException(comparison.toString());
      };
      selection[kept] = row;
      kept += pass ? 1 : 0;
    }
    return kept;
  }
}
