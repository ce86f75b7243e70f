package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import org.apache.arrow.vector.FieldVector;

/**
 * {@code + - * / %} over two operands of the result's type (the compiler casts them first). Integer types
 * compute in 64 bits and are narrowed on write; TIMESTAMP plus or minus an interval in milliseconds is integer
 * arithmetic too. Division or remainder by zero gives NULL, for doubles too (as Spark). A constant divisor is applied by multiplication.
 */
final class ArithmeticKernel extends BinaryKernel {
  private final LongDivisor constantDivisor;

  ArithmeticKernel(Op op, TypeKind type, VectorExpr left, VectorExpr right) {
    super(op, type, left, right);
    LongDivisor divisor = null;
    if ((op == Op.DIVIDE || op == Op.MOD) && type != TypeKind.DOUBLE && right instanceof ConstantKernel c
        && c.value() instanceof Number n && n.longValue() >= 2) {
      divisor = new LongDivisor(n.longValue());
    }
    this.constantDivisor = divisor;
  }

  @Override
  void compute(FieldVector a, int strideA, FieldVector b, int strideB, FieldVector out, int n) {
    if (type == TypeKind.DOUBLE) {
      doubles(Vectors.data(a), strideA == 0, Vectors.data(b), strideB == 0, out, n);
    } else if (constantDivisor != null && strideA == 1) {
      divideByConstant(Vectors.data(a), left.type().width(), Vectors.data(out), type.width(), n);
    } else {
      longs(Vectors.data(a), strideA == 0, left.type().width(), Vectors.data(b), strideB == 0, right.type().width(),
          out, n);
    }
  }

  private void divideByConstant(long a, int wa, long o, int wo, int n) {
    LongDivisor d = constantDivisor;
    if (op == Op.MOD) {
      for (int i = 0; i < n; i++) {
        Vectors.writeLong(o, wo, i, d.remainder(Vectors.readLong(a, wa, i)));
      }
    } else {
      for (int i = 0; i < n; i++) {
        Vectors.writeLong(o, wo, i, d.divide(Vectors.readLong(a, wa, i)));
      }
    }
  }

  private void longs(long a, boolean aConst, int wa, long b, boolean bConst, int wb, FieldVector out, int n) {
    long o = Vectors.data(out);
    int wo = type.width();
    int sa = aConst ? 0 : 1;
    int sb = bConst ? 0 : 1;
    switch (op) {
      case PLUS -> {
        for (int i = 0; i < n; i++) {
          Vectors.writeLong(o, wo, i, Vectors.readLong(a, wa, i * sa) + Vectors.readLong(b, wb, i * sb));
        }
      }
      case MINUS -> {
        for (int i = 0; i < n; i++) {
          Vectors.writeLong(o, wo, i, Vectors.readLong(a, wa, i * sa) - Vectors.readLong(b, wb, i * sb));
        }
      }
      case TIMES -> {
        for (int i = 0; i < n; i++) {
          Vectors.writeLong(o, wo, i, Vectors.readLong(a, wa, i * sa) * Vectors.readLong(b, wb, i * sb));
        }
      }
      case DIVIDE, MOD -> {
        long valid = Vectors.validity(out);
        boolean mod = op == Op.MOD;
        for (int i = 0; i < n; i++) {
          long y = Vectors.readLong(b, wb, i * sb);
          if (y == 0) {
            Vectors.clearBit(valid, i);
            continue;
          }
          long x = Vectors.readLong(a, wa, i * sa);
          // Long.MIN_VALUE / -1 overflows to itself, as in Java and Spark.
          Vectors.writeLong(o, wo, i, mod ? (y == -1 ? 0 : x % y) : (y == -1 ? -x : x / y));
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
  }

  private void doubles(long a, boolean aConst, long b, boolean bConst, FieldVector out, int n) {
    long o = Vectors.data(out);
    int sa = aConst ? 0 : 1;
    int sb = bConst ? 0 : 1;
    switch (op) {
      case PLUS -> {
        for (int i = 0; i < n; i++) {
          Vectors.writeDouble(o, i, Vectors.readDouble(a, i * sa) + Vectors.readDouble(b, i * sb));
        }
      }
      case MINUS -> {
        for (int i = 0; i < n; i++) {
          Vectors.writeDouble(o, i, Vectors.readDouble(a, i * sa) - Vectors.readDouble(b, i * sb));
        }
      }
      case TIMES -> {
        for (int i = 0; i < n; i++) {
          Vectors.writeDouble(o, i, Vectors.readDouble(a, i * sa) * Vectors.readDouble(b, i * sb));
        }
      }
      case DIVIDE, MOD -> {
        long valid = Vectors.validity(out);
        boolean mod = op == Op.MOD;
        for (int i = 0; i < n; i++) {
          double y = Vectors.readDouble(b, i * sb);
          if (y == 0) {
            Vectors.clearBit(valid, i);
            continue;
          }
          double x = Vectors.readDouble(a, i * sa);
          Vectors.writeDouble(o, i, mod ? x % y : x / y);
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
  }
}
