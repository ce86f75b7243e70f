package io.freshet.exec.expr;

import io.freshet.exec.batch.Values;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.vector.FieldVector;

/** A literal: evaluates to a one-value vector that stands for every row. */
final class ConstantKernel implements VectorExpr {
  private final Object value;
  private final TypeKind type;

  ConstantKernel(Object value, TypeKind type) {
    this.value = value;
    this.type = type;
  }

  Object value() {
    return value;
  }

  @Override
  public TypeKind type() {
    return type;
  }

  @Override
  public boolean isConstant() {
    return true;
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    FieldVector v = Vectors.allocate(type, 1, ctx.allocator());
    Values.set(v, type, 0, value);
    v.setValueCount(1);
    return v;
  }

  /** A dense vector of {@code count} copies of a one-value vector. */
  static FieldVector expand(FieldVector constant, TypeKind type, int count, EvalContext ctx) {
    int[] zeros = new int[count];
    return ColumnKernel.gather(constant, type, zeros, count, ctx.allocator());
  }
}
