package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.vector.FieldVector;

/**
 * A strict operator of two operands: evaluates both, allocates the result with the AND of their validity, and
 * leaves the values to {@link #compute}. A constant operand is a single value, read with a stride of 0.
 */
abstract class BinaryKernel implements VectorExpr {
  protected final Op op;
  protected final TypeKind type;
  protected final VectorExpr left;
  protected final VectorExpr right;

  BinaryKernel(Op op, TypeKind type, VectorExpr left, VectorExpr right) {
    this.op = op;
    this.type = type;
    this.left = left;
    this.right = right;
  }

  @Override
  public final TypeKind type() {
    return type;
  }

  final Op op() {
    return op;
  }

  final VectorExpr left() {
    return left;
  }

  final VectorExpr right() {
    return right;
  }

  @Override
  public final FieldVector evaluate(EvalContext ctx) {
    int n = ctx.count();
    try (FieldVector a = left.evaluate(ctx); FieldVector b = right.evaluate(ctx)) {
      FieldVector out = Vectors.allocate(type, n, ctx.allocator());
      try {
        Vectors.andValidity(out, n, a, left.isConstant(), b, right.isConstant());
        compute(a, left.isConstant() ? 0 : 1, b, right.isConstant() ? 0 : 1, out, n);
        out.setValueCount(n);
        return out;
      } catch (RuntimeException | Error e) {
        out.close();
        throw e;
      }
    }
  }

  /** Writes the {@code n} values of {@code out}; operand {@code x} of row {@code i} is at {@code i * strideX}. */
  abstract void compute(FieldVector a, int strideA, FieldVector b, int strideB, FieldVector out, int n);
}
