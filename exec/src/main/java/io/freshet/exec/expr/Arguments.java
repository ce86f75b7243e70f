package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import java.util.List;
import org.apache.arrow.vector.FieldVector;

/**
 * For kernels that go row by row over their arguments' vectors: a constant argument evaluates to one value that
 * stands for every row, so its row is always 0.
 */
final class Arguments {
  private Arguments() {
  }

  /** The row of argument {@code arg}'s vector that holds its value for output row {@code i}. */
  static int row(List<VectorExpr> args, int arg, int i) {
    return args.get(arg).isConstant() ? 0 : i;
  }

  /** Whether no argument is NULL in output row {@code i}. */
  static boolean allValid(List<VectorExpr> args, FieldVector[] in, int i) {
    for (int a = 0; a < in.length; a++) {
      if (!Vectors.bit(Vectors.validity(in[a]), row(args, a, i))) {
        return false;
      }
    }
    return true;
  }

  /** What a row-by-row kernel writes: its output's {@code n} rows from its arguments' vectors. */
  interface Rows {
    void fill(FieldVector[] in, FieldVector out, int n);
  }

  /**
   * A row-by-row kernel's evaluation: its arguments' vectors, an output of {@code type} for the batch's rows that
   * {@code rows} fills, then its value count; the arguments are closed after it, the output on a failure.
   */
  static FieldVector evaluate(List<VectorExpr> args, EvalContext ctx, TypeKind type, Rows rows) {
    int n = ctx.count();
    FieldVector[] in = new FieldVector[args.size()];
    try {
      for (int a = 0; a < in.length; a++) {
        in[a] = args.get(a).evaluate(ctx);
      }
      FieldVector out = Vectors.allocate(type, n, ctx.allocator());
      try {
        rows.fill(in, out, n);
        out.setValueCount(n);
        return out;
      } catch (RuntimeException | Error e) {
        out.close();
        throw e;
      }
    } finally {
      close(in);
    }
  }

  /** Closes the vectors evaluated so far (the array may end in nulls when an evaluation failed). */
  static void close(FieldVector[] in) {
    for (FieldVector v : in) {
      if (v != null) {
        v.close();
      }
    }
  }
}
