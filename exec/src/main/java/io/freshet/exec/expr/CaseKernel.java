package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * {@code CASE WHEN c1 THEN v1 ... ELSE e END}: every branch is evaluated over the whole column, then each row
 * takes the value of its first true condition (a NULL condition counts as false).
 */
final class CaseKernel implements VectorExpr {
  private final List<VectorExpr> conditions;
  private final List<VectorExpr> values;
  private final VectorExpr otherwise;
  private final TypeKind type;

  CaseKernel(List<VectorExpr> conditions, List<VectorExpr> values, VectorExpr otherwise, TypeKind type) {
    this.conditions = conditions;
    this.values = values;
    this.otherwise = otherwise;
    this.type = type;
  }

  @Override
  public TypeKind type() {
    return type;
  }

  List<VectorExpr> conditions() {
    return conditions;
  }

  List<VectorExpr> values() {
    return values;
  }

  VectorExpr otherwise() {
    return otherwise;
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    int n = ctx.count();
    List<FieldVector> evaluated = new ArrayList<>();
    try {
      int branches = conditions.size();
      long[] condValid = new long[branches];
      long[] condData = new long[branches];
      int[] condStride = new int[branches];
      FieldVector[] branchValues = new FieldVector[branches + 1];
      int[] valueStride = new int[branches + 1];
      for (int b = 0; b < branches; b++) {
        FieldVector c = conditions.get(b).evaluate(ctx);
        evaluated.add(c);
        condValid[b] = Vectors.validity(c);
        condData[b] = Vectors.data(c);
        condStride[b] = conditions.get(b).isConstant() ? 0 : 1;
        branchValues[b] = values.get(b).evaluate(ctx);
        evaluated.add(branchValues[b]);
        valueStride[b] = values.get(b).isConstant() ? 0 : 1;
      }
      branchValues[branches] = otherwise.evaluate(ctx);
      evaluated.add(branchValues[branches]);
      valueStride[branches] = otherwise.isConstant() ? 0 : 1;

      FieldVector out = Vectors.allocate(type, n, ctx.allocator());
      try {
        for (int i = 0; i < n; i++) {
          int chosen = branches;
          for (int b = 0; b < branches; b++) {
            int r = i * condStride[b];
            if (Vectors.bit(condValid[b], r) && Vectors.bit(condData[b], r)) {
              chosen = b;
              break;
            }
          }
          copyValue(branchValues[chosen], i * valueStride[chosen], out, i);
        }
        out.setValueCount(n);
        return out;
      } catch (RuntimeException | Error e) {
        out.close();
        throw e;
      }
    } finally {
      evaluated.forEach(FieldVector::close);
    }
  }

  private void copyValue(FieldVector from, int row, FieldVector to, int i) {
    if (!Vectors.bit(Vectors.validity(from), row)) {
      if (type == TypeKind.VARCHAR) {
        ((VarCharVector) to).setNull(i);
      }
      return;
    }
    switch (type) {
      case VARCHAR -> {
        VarCharVector s = (VarCharVector) from;
        long offsets = s.getOffsetBufferAddress();
        int start = Vectors.stringStart(offsets, row);
        ((VarCharVector) to).setSafe(i, start, Vectors.stringEnd(offsets, row) - start, s.getDataBuffer());
      }
      case BOOLEAN -> {
        Vectors.setBit(Vectors.validity(to), i);
        if (Vectors.bit(Vectors.data(from), row)) {
          Vectors.setBit(Vectors.data(to), i);
        }
      }
      default -> {
        Vectors.setBit(Vectors.validity(to), i);
        int w = type.width();
        if (w == 8) {
          MemoryUtil.putLong(Vectors.data(to) + 8L * i, MemoryUtil.getLong(Vectors.data(from) + 8L * row));
        } else {
          MemoryUtil.putInt(Vectors.data(to) + 4L * i, MemoryUtil.getInt(Vectors.data(from) + 4L * row));
        }
      }
    }
  }
}
