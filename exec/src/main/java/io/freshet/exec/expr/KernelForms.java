package io.freshet.exec.expr;

import io.freshet.exec.batch.Values;
import io.freshet.exec.expr.Expr.Call;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a kernel tree back as an {@link Expr}, so that code generators see exactly what the kernels compute:
 * the casts {@link ExprCompiler} inserted, the type each operator computes in, literals converted and folded.
 * Only the kernels of numbers and booleans have such a form: columns, constants, arithmetic, comparisons, logic,
 * numeric casts and CASE.
 */
final class KernelForms {
  private KernelForms() { }

  /** The explicit form of {@code kernel}, or null when one of its kernels has none. */
  static Expr of(VectorExpr kernel) {
    if (kernel instanceof ColumnKernel c) {
      return new Expr.ColumnRef(c.index(), c.type());
    }
    if (kernel instanceof ConstantKernel c) {
      // A TIMESTAMP constant is held as a LocalDateTime; its explicit form is its milliseconds, as Expr says.
      Object value = c.value() instanceof LocalDateTime time ? (Object) Values.toEpochMillis(time) : c.value();
      return new Expr.Literal(value, c.type());
    }
    if (kernel instanceof BinaryKernel b && (b instanceof ArithmeticKernel || b instanceof CompareKernel)) {
      return call(b.op(), b.type(), List.of(b.left(), b.right()));
    }
    if (kernel instanceof LogicKernel l) {
      return call(l.op(), TypeKind.BOOLEAN, l.operands());
    }
    if (kernel instanceof CastKernel c) {
      return call(Op.CAST, c.type(), List.of(c.input()));
    }
    if (kernel instanceof CaseKernel c) {
      List<VectorExpr> args = new ArrayList<>();
      for (int i = 0; i < c.conditions().size(); i++) {
        args.add(c.conditions().get(i));
        args.add(c.values().get(i));
      }
      args.add(c.otherwise());
      return call(Op.CASE, c.type(), args);
    }
    return null;
  }

  private static Expr call(Op op, TypeKind type, List<VectorExpr> operands) {
    List<Expr> args = new ArrayList<>(operands.size());
    for (VectorExpr operand : operands) {
      Expr arg = of(operand);
      if (arg == null) {
        return null;
      }
      args.add(arg);
    }
    return new Call(op, args, type);
  }
}
