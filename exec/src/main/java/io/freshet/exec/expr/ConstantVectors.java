package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import org.apache.arrow.vector.FieldVector;

/** Turns the one-value result of a constant kernel into a full column. */
public final class ConstantVectors {
  private ConstantVectors() { }

  /** Expands {@code constant} to {@code context.count()} rows and closes it. */
  public static FieldVector expand(FieldVector constant, TypeKind type, EvalContext context) {
    try (constant) {
      return ConstantKernel.expand(constant, type, context.count(), context);
    }
  }
}
