package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import org.apache.arrow.vector.FieldVector;

/**
 * A compiled expression that evaluates a whole column at a time.
 *
 * <p>{@link #evaluate} returns a new vector, owned by the caller, with one value per row of the context
 * ({@link EvalContext#count()} values), except for a {@linkplain #isConstant() constant}, which returns one
 * value that stands for every row. Kernels are immutable and may be shared by threads.
 */
public interface VectorExpr {

  TypeKind type();

  /** Whether {@link #evaluate} returns a single value standing for all rows. */
  default boolean isConstant() {
    return false;
  }

  FieldVector evaluate(EvalContext context);

  /** Compiles an expression tree into kernels, checking operand types. */
  static VectorExpr compile(Expr expr) {
    return ExprCompiler.compile(expr);
  }

  /**
   * {@code expr} as its kernels compute it, for code generators: every operand cast to the type its operator
   * computes in (a cast is a {@code CAST} call), literals converted and folded, {@code NEGATE} and {@code ABS}
   * written with {@code MINUS} and {@code CASE}. Null when it uses a kernel without such a form: only columns,
   * constants, arithmetic, comparisons, AND, OR, NOT, the null tests, casts and CASE have one.
   */
  static Expr explicit(Expr expr) {
    return KernelForms.of(ExprCompiler.compile(expr));
  }
}
