package io.freshet.exec.window;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.batch.Values;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * The rows a {@link ChangelogOverOperator} emits for one batch: what changed between a partition's rows and their
 * aggregates before the batch and after it, as a changelog ({@code -D}, {@code +I}, {@code -U} then {@code +U}), in
 * batches of at most a chunk of rows, each row with its kind last.
 */
final class OverChanges implements AutoCloseable {
  private final OverAggregateOperator.Spec spec;
  private final BufferAllocator allocator;
  private final int chunk;
  private final RowSchema schema;
  private final List<Held> keys = new ArrayList<>();
  private final List<Object[]> aggregates = new ArrayList<>();
  private final int[] kinds;

  OverChanges(OverAggregateOperator.Spec spec, BufferAllocator allocator, int chunk) {
    this.spec = spec;
    this.allocator = allocator;
    this.chunk = chunk;
    this.schema = RowKind.withKind(spec.outputSchema());
    this.kinds = new int[chunk];
  }

  /**
   * A row of an OVER aggregation's input table: its key in the state ({@code [tag][partition][order][row]}), its
   * value ({@code [count][where the row begins in the key][arguments and order]}), and how often it is there.
   */
  record Held(byte[] key, byte[] value, long count) {
    /** The row's columns, encoded as {@link KeyValueState#encode} writes them, from here in its key. */
    int rowStart() {
      return (int) OrderedBytes.getLong(value, 8);
    }
  }

  /**
   * Emits the difference between {@code before} (rows in order, with the aggregates of each occurrence in
   * {@code was}) and {@code after} (with {@code is}), adding full batches to {@code out}. Rows of equal key are the
   * same row; the i-th occurrence of a row before is the i-th after.
   */
  void difference(List<Held> before, Object[][] was, List<Held> after, Object[][] is, List<Batch> out) {
    int a = 0;
    int b = 0;
    int p = 0;
    int q = 0;
    while (a < before.size() || b < after.size()) {
      int c = a == before.size() ? 1 : b == after.size() ? -1
          : Arrays.compareUnsigned(before.get(a).key(), after.get(b).key());
      long gone = c > 0 ? 0 : before.get(a).count();
      long came = c < 0 ? 0 : after.get(b).count();
      long both = Math.min(gone, came);
      for (long k = 0; k < both; k++, p++, q++) {
        if (!Arrays.equals(was[p], is[q])) {
          add(before.get(a), was[p], RowKind.UPDATE_BEFORE, out);
          add(after.get(b), is[q], RowKind.UPDATE_AFTER, out);
        }
      }
      for (long k = both; k < gone; k++) {
        add(before.get(a), was[p++], RowKind.DELETE, out);
      }
      for (long k = both; k < came; k++) {
        add(after.get(b), is[q++], RowKind.INSERT, out);
      }
      a += c <= 0 ? 1 : 0;
      b += c >= 0 ? 1 : 0;
    }
  }

  private void add(Held row, Object[] values, int kind, List<Batch> out) {
    if (keys.size() == chunk) {
      flush(out);
    }
    kinds[keys.size()] = kind;
    keys.add(row);
    aggregates.add(values);
  }

  /** Adds the rows gathered so far to {@code out}, as one batch. */
  void flush(List<Batch> out) {
    int n = keys.size();
    if (n == 0) {
      return;
    }
    RowSchema input = spec.inputSchema();
    List<FieldVector> vectors = new ArrayList<>(schema.size());
    Owned.orClose(vectors, () -> {
      for (int c = 0; c < input.size(); c++) {
        vectors.add(Vectors.allocate(input.type(c), n, allocator));
      }
      for (int i = 0; i < n; i++) {
        KeyValueState.decode(keys.get(i).key(), keys.get(i).rowStart(), vectors, i);
      }
      for (FieldVector v : vectors) {
        v.setValueCount(n);
      }
      for (int c = 0; c < spec.calls().size(); c++) {
        AggregateCall call = spec.calls().get(c);
        FieldVector v = Vectors.allocate(call.resultType(), n, allocator);
        vectors.add(v);
        for (int i = 0; i < n; i++) {
          Values.set(v, call.resultType(), i, aggregates.get(i)[c]);
        }
        v.setValueCount(n);
      }
      vectors.add(RowKind.vector(kinds, n, allocator));
    });
    out.add(Batch.of(schema, vectors, n));
    keys.clear();
    aggregates.clear();
  }

  @Override
  public void close() {
    keys.clear();
    aggregates.clear();
  }
}
