package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.util.function.LongUnaryOperator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * A filter conjunct of the shape {@code column <cmp> constant} or {@code (column <arith> constant) <cmp>
 * constant} over integers or timestamps, evaluated in one pass straight into the selection vector: no
 * intermediate vectors, no allocation. Division and remainder by the constant use {@link LongDivisor}.
 */
final class FusedComparison {
  private final int column;
  private final int width;
  private final LongUnaryOperator arithmetic;
  /** Set when the arithmetic is {@code MOD} by a constant: called directly in the hot loop. */
  private final LongDivisor remainderBy;
  /** Every comparison with a constant is a test of {@code v} in {@code [low, low + span]} (unsigned), maybe negated. */
  private final long low;
  private final long span;
  private final boolean negate;
  /** The range is empty (e.g. {@code v < Long.MIN_VALUE}): no row passes. */
  private final boolean none;

  private FusedComparison(int column, int width, Op comparison, long constant, LongUnaryOperator arithmetic,
      LongDivisor remainderBy) {
    this.column = column;
    this.width = width;
    this.arithmetic = remainderBy != null ? null : arithmetic;
    this.remainderBy = remainderBy;
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE;
    boolean empty = false;
    switch (comparison) {
      case EQ, NE -> {
        lo = constant;
        hi = constant;
      }
      case LT -> {
        empty = constant == Long.MIN_VALUE;
        hi = constant - 1;
      }
      case LE -> hi = constant;
      case GT -> {
        empty = constant == Long.MAX_VALUE;
        lo = constant + 1;
      }
      case GE -> lo = constant;
      default -> throw new IllegalArgumentException(comparison.toString());
    }
    this.low = lo;
    this.span = hi - lo;
    this.negate = comparison == Op.NE;
    this.none = empty;
  }

  /** The fused form of {@code kernel}, or null when it does not have a fusable shape. */
  static FusedComparison of(VectorExpr kernel) {
    if (!(kernel instanceof CompareKernel compare) || !(compare.right() instanceof ConstantKernel c)
        || c.value() == null || !isIntegral(compare.left().type())) {
      return null;
    }
    Long limit = c.value() instanceof Number number ? (Long) number.longValue()
        : c.value() instanceof java.time.LocalDateTime time ? (Long) io.freshet.exec.batch.Values.toEpochMillis(time)
        : null;
    if (limit == null) {
      return null;
    }
    VectorExpr left = widenedColumn(compare.left());
    if (left instanceof ColumnKernel col) {
      return new FusedComparison(col.index(), col.type().width(), compare.op(), limit, null, null);
    }
    if (left instanceof ArithmeticKernel arith && widenedColumn(arith.left()) instanceof ColumnKernel col
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
      // A remainder by a constant always fits the operand's type; other INT arithmetic wraps to 32 bits.
      LongDivisor remainderBy = arith.op() == Op.MOD ? new LongDivisor(operand) : null;
      return new FusedComparison(col.index(), col.type().width(), compare.op(), limit,
          arith.type() == TypeKind.INT ? v -> (int) f.applyAsLong(v) : f, remainderBy);
    }
    return null;
  }

  /** An INT column widened to BIGINT reads as the column itself: the fused loop reads either width. */
  private static VectorExpr widenedColumn(VectorExpr e) {
    if (e instanceof CastKernel cast && cast.input() instanceof ColumnKernel col && isIntegral(col.type())
        && (cast.type() == TypeKind.BIGINT || cast.type() == col.type())) {
      return col;
    }
    return e;
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
    if (none) {
      return 0;
    }
    FieldVector vector = context.batch().vector(column);
    long data = Vectors.data(vector);
    long valid = Vectors.validity(vector);
    boolean nulls = vector.getNullCount() > 0;
    int[] in = context.selection();
    int n = context.count();
    LongUnaryOperator f = arithmetic;
    LongDivisor d = remainderBy;
    // v in [low, low + span] is the unsigned test (v - low) <= span, written as one signed comparison of the
    // values shifted by 2^63, which compiles to a flag set rather than a branch.
    long shift = low + Long.MIN_VALUE;
    long limit = span + Long.MIN_VALUE;
    boolean flip = negate;
    int kept = 0;
    if (in == null && !nulls && width == 8) {
      // The common case, kept free of per-row tests: all rows, no NULLs, 64-bit values.
      for (int i = 0; i < n; i++) {
        long v = MemoryUtil.getLong(data + ((long) i << 3));
        if (d != null) {
          v = d.remainder(v);
        } else if (f != null) {
          v = f.applyAsLong(v);
        }
        selection[kept] = i;
        kept += ((v - shift <= limit) != flip) ? 1 : 0;
      }
      return kept;
    }
    for (int i = 0; i < n; i++) {
      int row = in == null ? i : in[i];
      long v = Vectors.readLong(data, width, row);
      if (d != null) {
        v = d.remainder(v);
      } else if (f != null) {
        v = f.applyAsLong(v);
      }
      boolean pass = (v - shift <= limit) != flip;
      if (nulls) {
        pass &= Vectors.bit(valid, row);
      }
      selection[kept] = row;
      kept += pass ? 1 : 0;
    }
    return kept;
  }
}
