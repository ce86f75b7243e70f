package io.freshet.exec.batch;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * The kind of each row of a changelog, as Flink names them: +I (insert), -U (the row before an update), +U (the row
 * after it) and -D (delete). A batch of a changelog stream (a plan node whose changelog mode is retract) carries one
 * more column than its node's schema, last, named {@link #COLUMN}, holding the kind of each row as an INT; an
 * insert-only batch has no such column and every row is an insert.
 */
public final class RowKind {
  public static final int INSERT = 0;
  public static final int UPDATE_BEFORE = 1;
  public static final int UPDATE_AFTER = 2;
  public static final int DELETE = 3;
  /** The name of the row-kind column: not a name SQL can give a column unquoted. */
  public static final String COLUMN = "$row_kind";

  private static final String[] LABELS = {"+I", "-U", "+U", "-D"};

  private RowKind() {
  }

  /** Whether rows of {@code kind} take a row away (-U and -D) rather than add one. */
  public static boolean retracts(int kind) {
    return (kind & 1) == 1;
  }

  /** +I, -U, +U or -D. */
  public static String label(int kind) {
    return LABELS[kind];
  }

  /** Whether the batch's rows carry their kind. */
  public static boolean present(Batch batch) {
    RowSchema schema = batch.schema();
    return schema.size() > 0 && COLUMN.equals(schema.column(schema.size() - 1).name());
  }

  /** {@code schema} with the row-kind column added last. */
  public static RowSchema withKind(RowSchema schema) {
    List<Column> columns = new ArrayList<>(schema.columns());
    columns.add(new Column(COLUMN, TypeKind.INT, false));
    return new RowSchema(columns);
  }

  /** The kind of row {@code row} of a batch that {@link #present carries} kinds. */
  public static int kind(Batch batch, int row) {
    return MemoryUtil.getInt(Vectors.data(batch.vector(batch.columnCount() - 1)) + ((long) row << 2));
  }

  /** A vector of the kinds {@code kinds[0..n)}. */
  public static FieldVector vector(int[] kinds, int n, BufferAllocator allocator) {
    FieldVector v = Vectors.allocate(TypeKind.INT, n, allocator);
    Vectors.setAllValid(v, n);
    long data = Vectors.data(v);
    for (int i = 0; i < n; i++) {
      MemoryUtil.putInt(data + ((long) i << 2), kinds[i]);
    }
    v.setValueCount(n);
    return v;
  }

  /** {@code batch} (owned by the caller, which keeps it) with {@code kinds} added as its kind column; a new batch. */
  public static Batch attach(Batch batch, int[] kinds, BufferAllocator allocator) {
    return batch.withColumn(new Column(COLUMN, TypeKind.INT, false), vector(kinds, batch.rowCount(), allocator),
        allocator);
  }

  /**
   * The rows of {@code batch} whose kind {@code keep} accepts, in order, as a new batch without the kind column
   * when {@code dropKind}, or null when there are none.
   */
  public static Batch select(Batch batch, java.util.function.IntPredicate keep, boolean dropKind,
      BufferAllocator allocator) {
    int n = batch.rowCount();
    int[] selection = new int[n];
    int count = 0;
    long kinds = Vectors.data(batch.vector(batch.columnCount() - 1));
    for (int i = 0; i < n; i++) {
      if (keep.test(MemoryUtil.getInt(kinds + ((long) i << 2)))) {
        selection[count++] = i;
      }
    }
    return count == 0 ? null : rows(batch, selection, count, dropKind ? batch.columnCount() - 1
        : batch.columnCount(), allocator);
  }

  /** Rows {@code selection[0..count)} of the first {@code columns} columns of {@code batch}, as a new batch. */
  public static Batch rows(Batch batch, int[] selection, int count, int columns, BufferAllocator allocator) {
    List<Column> kept = batch.schema().columns().subList(0, columns);
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      for (int c = 0; c < columns; c++) {
        vectors.add(Vectors.gather(batch.vector(c), kept.get(c).type(), selection, count, allocator));
      }
    });
    return Batch.of(new RowSchema(kept), vectors, count);
  }
}
