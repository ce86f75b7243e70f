package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.window.WindowRankOperator;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * ORDER BY, LIMIT and OFFSET of a streaming query, in one partition (it sees every row). With ORDER BY it holds a
 * micro-batch's rows and emits them sorted when the batch's input is done; without, rows pass as they come. The
 * window {@code [offset, offset + fetch)} is counted over the whole stream, so the query emits its first rows and
 * then {@link #finished() finishes}; the count is its state, so a restart goes on from it. In complete output mode
 * ({@link Spec#perBatch}) each batch's result is the whole table, and the window is taken from each batch anew
 * (a Top-N of the complete result), with no state.
 */
public final class SortLimitOperator implements StatefulOperator {
  private static final Schema STATE = new Schema(List.of(new Field("seen",
      FieldType.notNullable(new ArrowType.Int(64, true)), null)));

  /**
   * The plan-time description; the output has the input's columns.
   *
   * @param orderColumns the ORDER BY columns (none: LIMIT or OFFSET alone)
   * @param descending per ORDER BY column, whether it sorts from high to low
   * @param nullsFirst per ORDER BY column, whether nulls come before the values
   * @param offset how many rows to skip first (0: none)
   * @param fetch how many rows to emit (-1: all)
   * @param perBatch whether each batch's rows are a whole result (complete mode) rather than more of the stream
   * @param orderProblem why the ORDER BY cannot keep a stream's order (its first key is not an ascending event
   *     time), or null when it can or there is no ORDER BY; the planner refuses it outside complete mode
   */
  public record Spec(int[] orderColumns, boolean[] descending, boolean[] nullsFirst, long offset, long fetch,
      boolean perBatch, String orderProblem, RowSchema outputSchema) implements OperatorFactory {
    public Spec {
      orderColumns = orderColumns.clone();
      descending = descending.clone();
      nullsFirst = nullsFirst.clone();
    }

    /** This ORDER BY or LIMIT over the whole result that each batch of complete output mode gives. */
    public Spec withPerBatch() {
      return new Spec(orderColumns, descending, nullsFirst, offset, fetch, true, orderProblem, outputSchema);
    }

    /** Whether it sorts (ORDER BY), rather than only counting rows. */
    public boolean sorts() {
      return orderColumns.length > 0;
    }

    @Override
    public SortLimitOperator create(OperatorContext context) {
      return new SortLimitOperator(this, context.allocator());
    }

    @Override
    public String kind() {
      return sorts() ? "sort" : "limit";
    }

    /** Over a stream it counts the rows emitted so far; in complete mode it starts anew with each batch. */
    @Override
    public boolean stateful() {
      return !perBatch && (fetch >= 0 || offset > 0);
    }

    @Override
    public String describe() {
      return describe(i -> "$" + i);
    }

    @Override
    public String describe(IntFunction<String> column) {
      StringBuilder sb = new StringBuilder(sorts() ? "Sort(" : "Limit(");
      if (sorts()) {
        sb.append("order=[");
        for (int i = 0; i < orderColumns.length; i++) {
          sb.append(i == 0 ? "" : ", ").append(column.apply(orderColumns[i]))
              .append(descending[i] ? " DESC" : " ASC").append(nullsFirst[i] ? " NULLS FIRST" : " NULLS LAST");
        }
        sb.append("]");
      }
      if (offset > 0) {
        sb.append(sorts() ? ", " : "").append("offset=").append(offset);
      }
      if (fetch >= 0) {
        sb.append(sorts() || offset > 0 ? ", " : "").append("fetch=").append(fetch);
      }
      return sb.append(perBatch ? ", per batch)" : ")").toString();
    }
  }

  private final Spec spec;
  private final BufferAllocator allocator;
  /** The rows of this batch, held until it is done (ORDER BY only). */
  private final List<Batch> held = new ArrayList<>();
  /** How many rows it has counted: over the whole stream, or in complete mode in this batch. */
  private long seen;
  private long updated;

  private SortLimitOperator(Spec spec, BufferAllocator allocator) {
    this.spec = spec;
    this.allocator = allocator;
  }

  @Override
  public void startBatch(long watermarkMs) {
    if (spec.perBatch()) {
      seen = 0;
    }
    updated = 0;
  }

  @Override
  public List<Batch> process(Batch input) {
    if (spec.sorts()) {
      held.add(input.share(allocator));
      return List.of();
    }
    int n = input.rowCount();
    int[] window = window(n);
    if (window[0] == 0 && window[1] == n) {
      return n == 0 ? List.of() : List.of(input.share(allocator));
    }
    int[] rows = new int[window[1] - window[0]];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = window[0] + i;
    }
    return rows.length == 0 ? List.of() : List.of(gather(input, rows));
  }

  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    if (held.isEmpty()) {
      return List.of();
    }
    try {
      int total = 0;
      for (Batch b : held) {
        total += b.rowCount();
      }
      long[] order = new long[total];
      int k = 0;
      for (int h = 0; h < held.size(); h++) {
        for (int r = 0; r < held.get(h).rowCount(); r++) {
          order[k++] = (long) h << 32 | r;
        }
      }
      mergeSort(order, new long[total], 0, total);
      int[] window = window(total);
      int n = window[1] - window[0];
      if (n == 0) {
        return List.of();
      }
      return List.of(gatherSorted(order, window[0], n));
    } finally {
      held.forEach(Batch::close);
      held.clear();
    }
  }

  /**
   * Of the next {@code n} rows, which ones the offset and fetch keep, as {from, to} within them; counts the rows
   * as seen.
   */
  private int[] window(int n) {
    long from = Math.max(0, spec.offset() - seen);
    long to = spec.fetch() < 0 ? n : Math.max(0, spec.offset() + spec.fetch() - seen);
    seen += n;
    updated += n;
    int start = (int) Math.min(n, from);
    return new int[] {start, (int) Math.max(start, Math.min(n, to))};
  }

  /** Whether it has emitted every row its fetch allows over the stream: the query's result is complete. */
  @Override
  public boolean finished() {
    return !spec.perBatch() && spec.fetch() >= 0 && seen >= spec.offset() + spec.fetch();
  }

  private Batch gather(Batch input, int[] rows) {
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < input.columnCount(); c++) {
        vectors.add(Vectors.gather(input.vector(c), input.schema().type(c), rows, rows.length, allocator));
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return Batch.of(input.schema(), vectors, rows.length);
  }

  /** Rows {@code from .. from + n} of {@code order} (batch and row of the held batches) as one batch. */
  private Batch gatherSorted(long[] order, int from, int n) {
    RowSchema schema = held.get(0).schema();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < schema.size(); c++) {
        FieldVector out = Vectors.allocate(schema.type(c), n, allocator);
        vectors.add(out);
        for (int i = 0; i < n; i++) {
          long at = order[from + i];
          out.copyFromSafe((int) at, i, held.get((int) (at >>> 32)).vector(c));
        }
        out.setValueCount(n);
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return Batch.of(schema, vectors, n);
  }

  /** Stable merge sort by the ORDER BY columns: rows that tie keep the order in which they came. */
  private void mergeSort(long[] a, long[] tmp, int from, int to) {
    if (to - from < 2) {
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid);
    mergeSort(a, tmp, mid, to);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      tmp[k++] = compare(a[j], a[i]) < 0 ? a[j++] : a[i++];
    }
    while (i < mid) {
      tmp[k++] = a[i++];
    }
    while (j < to) {
      tmp[k++] = a[j++];
    }
    System.arraycopy(tmp, from, a, from, to - from);
  }

  private int compare(long x, long y) {
    Batch bx = held.get((int) (x >>> 32));
    Batch by = held.get((int) (y >>> 32));
    int rx = (int) x;
    int ry = (int) y;
    for (int i = 0; i < spec.orderColumns().length; i++) {
      int col = spec.orderColumns()[i];
      FieldVector vx = bx.vector(col);
      FieldVector vy = by.vector(col);
      boolean nx = vx.isNull(rx);
      boolean ny = vy.isNull(ry);
      int c;
      if (nx || ny) {
        c = nx == ny ? 0 : (nx == spec.nullsFirst()[i]) ? -1 : 1;
      } else {
        c = WindowRankOperator.compareValues(vx, rx, vy, ry, bx.schema().type(col));
        c = spec.descending()[i] ? -c : c;
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Override
  public void restoreState(StateStore store, long version) {
    if (version < 0) {
      return;
    }
    store.restore(version, STATE, root -> {
      BigIntVector v = (BigIntVector) root.getVector(0);
      for (int i = 0; i < root.getRowCount(); i++) {
        seen += v.get(i);
      }
    });
  }

  /** The count, one row, written whole every batch. */
  @Override
  public void commitState(StateStore store, long version) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(STATE, store.allocator())) {
      BigIntVector v = (BigIntVector) root.getVector(0);
      v.allocateNew(1);
      v.set(0, seen);
      root.setRowCount(1);
      store.write(version, true, List.of(root));
    }
  }

  /** The count has no key: it is hashed as the empty key, so a change of partitions finds it in its owner's. */
  @Override
  public int[] stateKeyColumns() {
    return new int[0];
  }

  @Override
  public StateOperatorProgress progress() {
    return new StateOperatorProgress(name(), 1, updated, 0, 0);
  }

  @Override
  public String name() {
    return spec.sorts() ? "Sort" : "Limit";
  }

  @Override
  public void close() {
    held.forEach(Batch::close);
    held.clear();
  }
}
