package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * Three-valued boolean logic and null tests, eight rows at a time on the bitmaps: AND, OR, NOT, IS [NOT] NULL,
 * IS [NOT] TRUE, IS [NOT] FALSE. {@code NULL AND FALSE} is FALSE and {@code NULL OR TRUE} is TRUE, as in SQL.
 */
final class LogicKernel implements VectorExpr {
  private final Op op;
  private final VectorExpr left;
  private final VectorExpr right;

  LogicKernel(Op op, VectorExpr left, VectorExpr right) {
    this.op = op;
    this.left = left;
    this.right = right;
  }

  @Override
  public TypeKind type() {
    return TypeKind.BOOLEAN;
  }

  Op op() {
    return op;
  }

  /** The operands: one for NOT and the null tests, two for AND and OR. */
  List<VectorExpr> operands() {
    return right == null ? List.of(left) : List.of(left, right);
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    int n = ctx.count();
    int bytes = Vectors.validityBytes(n);
    try (FieldVector a = left.evaluate(ctx); FieldVector b = right == null ? null : right.evaluate(ctx)) {
      FieldVector out = Vectors.allocate(TypeKind.BOOLEAN, n, ctx.allocator());
      long ov = Vectors.validity(out);
      long ox = Vectors.data(out);
      boolean aBits = left.type() == TypeKind.BOOLEAN;
      for (int k = 0; k < bytes; k++) {
        int va = bitsAt(Vectors.validity(a), left.isConstant(), k);
        int xa = aBits ? bitsAt(Vectors.data(a), left.isConstant(), k) : 0;
        int valid;
        int value;
        switch (op) {
          case AND, OR -> {
            int vb = bitsAt(Vectors.validity(b), right.isConstant(), k);
            int xb = bitsAt(Vectors.data(b), right.isConstant(), k);
            if (op == Op.AND) {
              valid = (va & vb) | (va & ~xa) | (vb & ~xb);
              value = xa & xb & va & vb;
            } else {
              valid = (va & vb) | (va & xa) | (vb & xb);
              value = (va & xa) | (vb & xb);
            }
          }
          case NOT -> {
            valid = va;
            value = ~xa;
          }
          case IS_NULL -> {
            valid = 0xFF;
            value = ~va;
          }
          case IS_NOT_NULL -> {
            valid = 0xFF;
            value = va;
          }
          case IS_TRUE -> {
            valid = 0xFF;
            value = va & xa;
          }
          case IS_NOT_TRUE -> {
            valid = 0xFF;
            value = ~(va & xa);
          }
          case IS_FALSE -> {
            valid = 0xFF;
            value = va & ~xa;
          }
          case IS_NOT_FALSE -> {
            valid = 0xFF;
            value = ~(va & ~xa);
          }
          default -> throw new IllegalStateException(op.toString());
        }
        MemoryUtil.putByte(ov + k, (byte) valid);
        MemoryUtil.putByte(ox + k, (byte) value);
      }
      out.setValueCount(n);
      return out;
    }
  }

  /** Eight bits of a bitmap, or the one bit of a constant spread over eight rows. */
  private static int bitsAt(long address, boolean constant, int k) {
    if (constant) {
      return Vectors.bit(address, 0) ? 0xFF : 0;
    }
    return MemoryUtil.getByte(address + k) & 0xFF;
  }
}
