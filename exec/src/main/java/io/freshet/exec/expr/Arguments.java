package io.freshet.exec.expr;

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

  /** Closes the vectors evaluated so far (the array may end in nulls when an evaluation failed). */
  static void close(FieldVector[] in) {
    for (FieldVector v : in) {
      if (v != null) {
        v.close();
      }
    }
  }
}
