package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/** {@code = <> < <= > >=} over two operands of the same type, giving BOOLEAN (NULL when either is NULL). */
final class CompareKernel extends BinaryKernel {
  private final TypeKind operandType;

  CompareKernel(Op op, VectorExpr left, VectorExpr right) {
    super(op, TypeKind.BOOLEAN, left, right);
    this.operandType = left.type();
  }

  @Override
  void compute(FieldVector a, int sa, FieldVector b, int sb, FieldVector out, int n) {
    long o = Vectors.data(out);
    switch (operandType) {
      case DOUBLE -> compareDoubles(Vectors.data(a), sa, Vectors.data(b), sb, o, n);
      case VARCHAR -> compareStrings(a, sa, b, sb, o, n);
      case BOOLEAN -> compareBooleans(Vectors.data(a), sa, Vectors.data(b), sb, o, n);
      default -> compareLongs(Vectors.data(a), sa, left.type().width(), Vectors.data(b), sb, right.type().width(), o, n);
    }
  }

  private boolean test(int c) {
    return switch (op) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
      default -> throw new IllegalStateException(op.toString());
    };
  }

  /** Packs eight results at a time into a byte of the output bitmap. */
  private void compareLongs(long a, int sa, int wa, long b, int sb, int wb, long o, int n) {
    switch (op) {
      case EQ -> {
        for (int base = 0; base < n; base += 8) {
          int bits = 0;
          int end = Math.min(8, n - base);
          for (int j = 0; j < end; j++) {
            int i = base + j;
            bits |= (Vectors.readLong(a, wa, i * sa) == Vectors.readLong(b, wb, i * sb) ? 1 : 0) << j;
          }
          MemoryUtil.putByte(o + (base >>> 3), (byte) bits);
        }
      }
      case GT -> {
        for (int base = 0; base < n; base += 8) {
          int bits = 0;
          int end = Math.min(8, n - base);
          for (int j = 0; j < end; j++) {
            int i = base + j;
            bits |= (Vectors.readLong(a, wa, i * sa) > Vectors.readLong(b, wb, i * sb) ? 1 : 0) << j;
          }
          MemoryUtil.putByte(o + (base >>> 3), (byte) bits);
        }
      }
      default -> {
        for (int base = 0; base < n; base += 8) {
          int bits = 0;
          int end = Math.min(8, n - base);
          for (int j = 0; j < end; j++) {
            int i = base + j;
            int c = Long.compare(Vectors.readLong(a, wa, i * sa), Vectors.readLong(b, wb, i * sb));
            bits |= (test(c) ? 1 : 0) << j;
          }
          MemoryUtil.putByte(o + (base >>> 3), (byte) bits);
        }
      }
    }
  }

  private void compareDoubles(long a, int sa, long b, int sb, long o, int n) {
    for (int base = 0; base < n; base += 8) {
      int bits = 0;
      int end = Math.min(8, n - base);
      for (int j = 0; j < end; j++) {
        int i = base + j;
        double x = Vectors.readDouble(a, i * sa);
        double y = Vectors.readDouble(b, i * sb);
        // SQL: -0.0 = 0.0; NaN equals NaN and is above every number (as Spark).
        int c = x == y ? 0 : Double.compare(x, y);
        bits |= (test(c) ? 1 : 0) << j;
      }
      MemoryUtil.putByte(o + (base >>> 3), (byte) bits);
    }
  }

  private void compareBooleans(long a, int sa, long b, int sb, long o, int n) {
    for (int i = 0; i < n; i++) {
      int c = Boolean.compare(Vectors.bit(a, i * sa), Vectors.bit(b, i * sb));
      if (test(c)) {
        Vectors.setBit(o, i);
      }
    }
  }

  private void compareStrings(FieldVector a, int sa, FieldVector b, int sb, long o, int n) {
    long ad = a.getDataBufferAddress();
    long ao = a.getOffsetBufferAddress();
    long bd = b.getDataBufferAddress();
    long bo = b.getOffsetBufferAddress();
    for (int i = 0; i < n; i++) {
      int ia = i * sa;
      int ib = i * sb;
      int as = Vectors.stringStart(ao, ia);
      int bs = Vectors.stringStart(bo, ib);
      int c = Vectors.compareBytes(ad + as, Vectors.stringEnd(ao, ia) - as, bd + bs, Vectors.stringEnd(bo, ib) - bs);
      if (test(c)) {
        Vectors.setBit(o, i);
      }
    }
  }
}
