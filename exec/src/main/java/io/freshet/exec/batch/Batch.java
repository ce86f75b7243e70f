package io.freshet.exec.batch;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;

/**
 * An owned, immutable batch of rows in Arrow columnar form: one vector per column of {@link #schema()}, each
 * holding {@link #rowCount()} values. Whoever holds a batch closes it exactly once. A batch is never modified
 * after it is built, so {@link #share(BufferAllocator)} can hand out a zero-copy view (the buffers are
 * reference-counted) that its receiver owns and closes independently.
 */
public final class Batch implements AutoCloseable {
  private final RowSchema schema;
  private final FieldVector[] vectors;
  private final int rowCount;
  private boolean closed;

  private Batch(RowSchema schema, FieldVector[] vectors, int rowCount) {
    this.schema = schema;
    this.vectors = vectors;
    this.rowCount = rowCount;
  }

  /** Takes ownership of {@code vectors}; each must hold {@code rowCount} values and match the schema. */
  public static Batch of(RowSchema schema, List<FieldVector> vectors, int rowCount) {
    if (vectors.size() != schema.size()) {
      vectors.forEach(FieldVector::close);
      throw new IllegalArgumentException("batch has " + vectors.size() + " vectors for " + schema.size()
          + " columns " + schema);
    }
    FieldVector[] array = vectors.toArray(new FieldVector[0]);
    for (FieldVector v : array) {
      v.setValueCount(rowCount);
    }
    return new Batch(schema, array, rowCount);
  }

  public RowSchema schema() {
    return schema;
  }

  public int rowCount() {
    return rowCount;
  }

  public int columnCount() {
    return vectors.length;
  }

  /** The vector of column {@code i}: a view owned by this batch, valid until it is closed; never modify it. */
  public FieldVector vector(int i) {
    checkOpen();
    return vectors[i];
  }

  /**
   * Hands the vector of column {@code i} to the caller, who then owns and closes it; this batch no longer has it.
   * For an operator that passes columns of a batch it made (a {@link #share view}) on into a batch of its own.
   */
  public FieldVector detach(int i) {
    checkOpen();
    FieldVector v = vectors[i];
    vectors[i] = null;
    return v;
  }

  /** A zero-copy view of this batch owned by the caller and accounted to {@code allocator}. */
  public Batch share(BufferAllocator allocator) {
    checkOpen();
    List<FieldVector> shared = new ArrayList<>(vectors.length);
    for (FieldVector v : vectors) {
      if (v instanceof BitVector bits) {
        // BitVector's split retains its buffers in the source allocator instead of moving their accounting,
        // which would tie this view to the source's lifetime; bitmaps are small, so copy them.
        shared.add(copyBits(bits, allocator));
        continue;
      }
      TransferPair pair = v.getTransferPair(allocator);
      pair.splitAndTransfer(0, rowCount);
      shared.add((FieldVector) pair.getTo());
    }
    return of(schema, shared, rowCount);
  }

  /**
   * A zero-copy view of this batch owned by the caller, with {@code vector} (whose ownership it takes, holding
   * {@link #rowCount()} values) added as a last column {@code column}.
   */
  public Batch withColumn(Column column, FieldVector vector, BufferAllocator allocator) {
    Batch view;
    try {
      view = share(allocator);
    } catch (RuntimeException e) {
      vector.close();
      throw e;
    }
    List<FieldVector> all = new ArrayList<>(List.of(view.vectors));
    all.add(vector);
    view.closed = true;
    List<Column> columns = new ArrayList<>(schema.columns());
    columns.add(column);
    return of(new RowSchema(columns), all, rowCount);
  }

  /**
   * Views of {@code batches} made one at a time as the caller iterates, each owned by the caller; a caller that
   * stops early leaves nothing unreleased. {@code lock} guards the batches' owner while a view is made.
   */
  public static java.util.Iterator<Batch> views(List<Batch> batches, BufferAllocator target, Object lock) {
    java.util.Iterator<Batch> it = List.copyOf(batches).iterator();
    return new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Batch next() {
        synchronized (lock) {
          return it.next().share(target);
        }
      }
    };
  }

  private BitVector copyBits(BitVector source, BufferAllocator allocator) {
    BitVector copy = new BitVector(source.getField(), allocator);
    copy.allocateNew(Math.max(rowCount, 1));
    long bytes = (rowCount + 7) / 8;
    MemoryUtil.copyMemory(source.getValidityBufferAddress(), copy.getValidityBufferAddress(), bytes);
    MemoryUtil.copyMemory(source.getDataBufferAddress(), copy.getDataBufferAddress(), bytes);
    copy.setValueCount(rowCount);
    return copy;
  }

  /** Boxes one value; for the edges of the engine (display, tests), never for hot paths. */
  public Object value(int column, int row) {
    return Values.get(vectors[column], schema.type(column), row);
  }

  /** Boxes all rows; for the edges of the engine (collect, memory tables, tests). */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>(rowCount);
    Object[] values = new Object[vectors.length];
    for (int r = 0; r < rowCount; r++) {
      for (int c = 0; c < vectors.length; c++) {
        values[c] = value(c, r);
      }
      rows.add(Row.of(values));
    }
    return rows;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("batch is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (FieldVector v : vectors) {
        if (v != null) {
          v.close();
        }
      }
    }
  }
}
