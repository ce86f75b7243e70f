package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * A filter condition split into its conjuncts, applied to a batch as a selection vector: each conjunct is
 * evaluated only over the rows that passed the ones before it, and a row passes when the condition is TRUE
 * (not FALSE, not NULL).
 */
public final class Predicate {
  private final List<VectorExpr> conjuncts;
  /** For each conjunct, its one-pass form when it has one, else null. */
  private final List<FusedComparison> fused;

  private Predicate(List<VectorExpr> conjuncts) {
    this.conjuncts = conjuncts;
    this.fused = conjuncts.stream().map(FusedComparison::of).toList();
  }

  public static Predicate compile(Expr condition) {
    List<VectorExpr> conjuncts = new ArrayList<>();
    for (Expr e : conjuncts(condition)) {
      if (e.type() != TypeKind.BOOLEAN) {
        throw io.freshet.streaming.FreshetException.user("A filter condition must be BOOLEAN, not " + e.type().sqlName());
      }
      conjuncts.add(VectorExpr.compile(e));
    }
    return new Predicate(conjuncts);
  }

  /** The conjuncts of {@code condition}, in order: the operands of its ANDs, nested ANDs flattened. */
  public static List<Expr> conjuncts(Expr condition) {
    List<Expr> out = new ArrayList<>();
    split(condition, out);
    return out;
  }

  private static void split(Expr e, List<Expr> out) {
    if (e instanceof Expr.Call c && c.op() == Expr.Op.AND) {
      c.args().forEach(a -> split(a, out));
    } else {
      out.add(e);
    }
  }

  /**
   * Narrows {@code context} (which must select all rows of its batch, or rows already written to
   * {@code selection} itself) to the rows that pass, written into {@code selection} (at least as long as the
   * batch). The selection is refined in place: a conjunct writes position {@code kept} only after reading
   * position {@code i >= kept}.
   */
  public EvalContext apply(EvalContext context, int[] selection) {
    EvalContext current = context;
    for (int k = 0; k < conjuncts.size(); k++) {
      VectorExpr conjunct = conjuncts.get(k);
      if (current.count() == 0) {
        break;
      }
      if (fused.get(k) != null) {
        int passed = fused.get(k).filter(current, selection);
        current = context.select(selection, passed);
        continue;
      }
      int kept = 0;
      try (FieldVector result = conjunct.evaluate(current)) {
        long valid = Vectors.validity(result);
        long data = Vectors.data(result);
        if (conjunct.isConstant()) {
          if (Vectors.bit(valid, 0) && Vectors.bit(data, 0)) {
            continue;
          }
          return context.select(selection, 0);
        }
        int n = current.count();
        int[] in = current.selection();
        for (int base = 0; base < n; base += 8) {
          int bits = MemoryUtil.getByte(valid + (base >>> 3)) & MemoryUtil.getByte(data + (base >>> 3)) & 0xFF;
          if (n - base < 8) {
            bits &= (1 << (n - base)) - 1;
          }
          while (bits != 0) {
            int i = base + Integer.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            selection[kept++] = in == null ? i : in[i];
          }
        }
      }
      current = context.select(selection, kept);
    }
    return current;
  }
}
