package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.TransferPair;

/** Reads an input column: a zero-copy view when every row is wanted, else a gather of the selected rows. */
final class ColumnKernel implements VectorExpr {
  private final int index;
  private final TypeKind type;

  ColumnKernel(int index, TypeKind type) {
    this.index = index;
    this.type = type;
  }

  @Override
  public TypeKind type() {
    return type;
  }

  int index() {
    return index;
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    FieldVector source = ctx.batch().vector(index);
    if (ctx.selection() == null) {
      TransferPair pair = source.getTransferPair(ctx.allocator());
      pair.splitAndTransfer(0, ctx.count());
      return (FieldVector) pair.getTo();
    }
    return gather(source, type, ctx.selection(), ctx.count(), ctx.allocator());
  }

  static FieldVector gather(FieldVector source, TypeKind type, int[] sel, int n, BufferAllocator allocator) {
    if (type == TypeKind.VARCHAR) {
      return gatherStrings((VarCharVector) source, sel, n, allocator);
    }
    FieldVector out = Vectors.allocate(type, n, allocator);
    long inValid = Vectors.validity(source);
    long outValid = Vectors.validity(out);
    if (source.getNullCount() == 0) {
      Vectors.setAllValid(out, n);
    } else {
      for (int i = 0; i < n; i++) {
        if (Vectors.bit(inValid, sel[i])) {
          Vectors.setBit(outValid, i);
        }
      }
    }
    long in = Vectors.data(source);
    long o = Vectors.data(out);
    switch (type.width()) {
      case 8 -> {
        for (int i = 0; i < n; i++) {
          MemoryUtil.putLong(o + ((long) i << 3), MemoryUtil.getLong(in + ((long) sel[i] << 3)));
        }
      }
      case 4 -> {
        for (int i = 0; i < n; i++) {
          MemoryUtil.putInt(o + ((long) i << 2), MemoryUtil.getInt(in + ((long) sel[i] << 2)));
        }
      }
      case 1 -> {
        for (int i = 0; i < n; i++) {
          if (Vectors.bit(in, sel[i])) {
            Vectors.setBit(o, i);
          }
        }
      }
      default -> throw new IllegalStateException("width " + type.width());
    }
    out.setValueCount(n);
    return out;
  }

  private static FieldVector gatherStrings(VarCharVector source, int[] sel, int n, BufferAllocator allocator) {
    long inOffsets = source.getOffsetBufferAddress();
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      bytes += Vectors.stringEnd(inOffsets, sel[i]) - Vectors.stringStart(inOffsets, sel[i]);
    }
    VarCharVector out = new VarCharVector("v", allocator);
    out.allocateNew(Math.max(bytes, 1), Math.max(n, 1));
    long inValid = Vectors.validity(source);
    long inData = source.getDataBufferAddress();
    long outValid = out.getValidityBufferAddress();
    long outOffsets = out.getOffsetBufferAddress();
    long outData = out.getDataBufferAddress();
    int position = 0;
    MemoryUtil.putInt(outOffsets, 0);
    for (int i = 0; i < n; i++) {
      int row = sel[i];
      if (Vectors.bit(inValid, row)) {
        Vectors.setBit(outValid, i);
        int start = Vectors.stringStart(inOffsets, row);
        int length = Vectors.stringEnd(inOffsets, row) - start;
        MemoryUtil.copyMemory(inData + start, outData + position, length);
        position += length;
      }
      MemoryUtil.putInt(outOffsets + ((long) (i + 1) << 2), position);
    }
    out.setLastSet(n - 1);
    out.setValueCount(n);
    return out;
  }
}
