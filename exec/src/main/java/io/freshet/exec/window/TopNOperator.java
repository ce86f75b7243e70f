package io.freshet.exec.window;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.Row;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Top-N without a window, Flink's retractable Top-N: the best N rows per partition by the ORDER BY columns, kept
 * up to date as rows come and, over a changelog such as running totals, as rows are taken back. Each micro-batch
 * emits, for every partition it changed, the ranks whose row changed: the row that held the rank (-U, or -D when
 * the rank is empty now) and the row that holds it now (+U, or +I). Over an insert-only input only the rows that
 * may still rank are kept; over a changelog every row is, since a row taken back lets the next one up.
 * ROW_NUMBER breaks ties by arrival order; RANK and DENSE_RANK give ties the same rank and keep them all. The
 * rows are held boxed, sorted per partition (a Top-N's state is the input's current rows, not a stream), on the
 * heap or in RocksDB ({@link TopNRows}); a batch reads only the partitions it touches.
 */
public final class TopNOperator implements StatefulOperator {

  /**
   * The plan-time description; the output is the input's columns followed by the rank (BIGINT).
   *
   * @param changelogInput whether the input is a changelog whose -U and -D rows are taken back out
   */
  public record Spec(int[] partition, int[] orderColumns, boolean[] descending, WindowRankOperator.Function function,
      long limit, RowSchema outputSchema, boolean changelogInput) implements OperatorFactory {
    public Spec {
      partition = partition.clone();
      orderColumns = orderColumns.clone();
      descending = descending.clone();
    }

    /** This Top-N over a changelog. */
    public Spec overChangelog() {
      return new Spec(partition, orderColumns, descending, function, limit, outputSchema, true);
    }

    /** Its rows live where the context's state backend keeps state. */
    @Override
    public TopNOperator create(OperatorContext context) {
      return new TopNOperator(this, context.allocator(), context.stateBackend());
    }

    /** The values of {@code row}'s PARTITION BY columns. */
    List<Object> partitionOf(Object[] row) {
      Object[] key = new Object[partition.length];
      for (int i = 0; i < key.length; i++) {
        key[i] = row[partition[i]];
      }
      return Arrays.asList(key);
    }

    /** By the ORDER BY columns; nulls sort lowest, as in the window Top-N. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    int compareOrder(Object[] a, Object[] b) {
      for (int i = 0; i < orderColumns.length; i++) {
        Object x = a[orderColumns[i]];
        Object y = b[orderColumns[i]];
        int c = x == null || y == null ? (x == y ? 0 : x == null ? -1 : 1) : ((Comparable) x).compareTo(y);
        if (c != 0) {
          return descending[i] ? -c : c;
        }
      }
      return 0;
    }

    @Override
    public String kind() {
      return "rank";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return ChangelogMode.RETRACT;
    }

    /**
     * ROW_NUMBER's rows are replaced by partition and rank; RANK and DENSE_RANK's have no key (ties share a rank,
     * and equal rows may rank together), so a sink takes back a row equal to each one retracted.
     */
    @Override
    public int[] upsertKey(List<int[]> inputKeys) {
      if (function != WindowRankOperator.Function.ROW_NUMBER) {
        return null;
      }
      int[] key = Arrays.copyOf(partition, partition.length + 1);
      key[partition.length] = outputSchema.size() - 1;
      return key;
    }

    RowSchema inputSchema() {
      return WindowRankOperator.withoutRank(outputSchema);
    }

    @Override
    public String describe() {
      return describe(Integer::toString, i -> "$" + i);
    }

    @Override
    public String describe(IntFunction<String> column) {
      return describe(column, column);
    }

    private String describe(IntFunction<String> key, IntFunction<String> ref) {
      return "Rank(" + WindowRankOperator.ranking(function, limit, partition, orderColumns, descending, key, ref)
          + (changelogInput ? ", retracts" : "") + ")";
    }
  }

  private final Spec spec;
  private final RowSchema inputSchema;
  private final BufferAllocator allocator;
  private final TopNRows rows;
  /** The partitions the micro-batch touched, each with the ranked rows it had before. */
  private final Map<List<Object>, List<Object[]>> touched = new LinkedHashMap<>();
  private long updated;

  private TopNOperator(Spec spec, BufferAllocator allocator, StateBackend backend) {
    this.spec = spec;
    this.inputSchema = spec.inputSchema();
    this.allocator = allocator;
    this.rows = backend.pagesToDisk() ? new KeyValueTopNRows(spec, backend, "Rank " + spec.describe())
        : new HeapTopNRows(spec, allocator);
  }

  @Override
  public String name() {
    return "Rank";
  }

  @Override
  public List<Batch> process(Batch input) {
    boolean kinds = RowKind.present(input);
    int columns = inputSchema.size();
    for (int r = 0; r < input.rowCount(); r++) {
      Object[] row = new Object[columns];
      for (int c = 0; c < columns; c++) {
        row[c] = input.value(c, r);
      }
      List<Object> key = spec.partitionOf(row);
      if (!touched.containsKey(key)) {
        touched.put(key, ranked(key));
      }
      if (kinds && RowKind.retracts(RowKind.kind(input, r))) {
        rows.remove(key, row);
      } else {
        rows.add(key, row);
      }
      updated++;
    }
    return List.of();
  }

  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    List<Object[]> before = new ArrayList<>();
    List<Integer> beforeKinds = new ArrayList<>();
    List<Object[]> after = new ArrayList<>();
    List<Integer> afterKinds = new ArrayList<>();
    for (Map.Entry<List<Object>, List<Object[]>> entry : touched.entrySet()) {
      List<Object> key = entry.getKey();
      List<Object[]> emitted = entry.getValue();
      List<Object[]> now = ranked(key);
      if (!spec.changelogInput()) {
        // Rows below the last rank can never rank again: an insert-only input takes nothing back.
        rows.keepFirst(key, now.size());
      }
      for (int i = 0; i < Math.max(now.size(), emitted.size()); i++) {
        Object[] was = i < emitted.size() ? emitted.get(i) : null;
        Object[] is = i < now.size() ? now.get(i) : null;
        if (was != null && is != null && Arrays.equals(was, is)) {
          continue;
        }
        if (was != null) {
          before.add(was);
          beforeKinds.add(is != null ? RowKind.UPDATE_BEFORE : RowKind.DELETE);
        }
        if (is != null) {
          after.add(is);
          afterKinds.add(was != null ? RowKind.UPDATE_AFTER : RowKind.INSERT);
        }
      }
    }
    touched.clear();
    List<Batch> out = new ArrayList<>();
    try {
      emit(before, beforeKinds, out);
      emit(after, afterKinds, out);
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  private void emit(List<Object[]> rows, List<Integer> kinds, List<Batch> out) {
    if (rows.isEmpty()) {
      return;
    }
    try (Batch batch = BatchBuilder.of(spec.outputSchema(), allocator, rows.stream().map(Row::of).toList())) {
      out.add(RowKind.attach(batch, kinds.stream().mapToInt(Integer::intValue).toArray(), allocator));
    }
  }

  /** The partition's rows within the limit, each with its rank appended. */
  private List<Object[]> ranked(List<Object> partition) {
    List<Object[]> out = new ArrayList<>();
    long[] rank = {0};
    Object[][] previous = {null};
    rows.forEachSorted(partition, row -> {
      int i = out.size();
      boolean tie = previous[0] != null && spec.compareOrder(previous[0], row) == 0;
      rank[0] = switch (spec.function()) {
        case ROW_NUMBER -> i + 1;
        case RANK -> tie ? rank[0] : i + 1;
        case DENSE_RANK -> tie ? rank[0] : rank[0] + 1;
      };
      if (rank[0] > spec.limit()) {
        return false;
      }
      Object[] ranked = Arrays.copyOf(row, row.length + 1);
      ranked[row.length] = rank[0];
      out.add(ranked);
      previous[0] = row;
      return true;
    });
    return out;
  }

  // ------------------------------------------------------------------ state

  /** The kept input rows; what was emitted is their ranking, worked out again when a batch touches them. */
  @Override
  public void commitState(StateStore store, long version) {
    rows.commit(store, version);
    updated = 0;
  }

  @Override
  public int[] stateKeyColumns() {
    return rows.stateKeyColumns();
  }

  @Override
  public void restoreState(StateStore store, long version) {
    if (version >= 0 || rows instanceof KeyValueTopNRows) {
      rows.restore(store, version);
    }
    updated = 0;
  }

  @Override
  public long heapStateBytes() {
    return rows.heapBytes();
  }

  @Override
  public StateOperatorProgress progress() {
    return new StateOperatorProgress(name(), rows.rowCount(), updated, heapStateBytes(), 0);
  }

  @Override
  public void close() {
    rows.close();
  }
}
