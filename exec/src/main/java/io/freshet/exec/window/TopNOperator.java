package io.freshet.exec.window;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.Row;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Top-N without a window, Flink's retractable Top-N: the best N rows per partition by the ORDER BY columns, kept
 * up to date as rows come and, over a changelog such as running totals, as rows are taken back. Each micro-batch
 * emits, for every partition it changed, the ranks whose row changed: the row that held the rank (-U, or -D when
 * the rank is empty now) and the row that holds it now (+U, or +I). Over an insert-only input only the rows that
 * may still rank are kept; over a changelog every row is, since a row taken back lets the next one up.
 * ROW_NUMBER breaks ties by arrival order; RANK and DENSE_RANK give ties the same rank and keep them all. The
 * rows are held boxed, sorted per partition (a Top-N's state is the input's current rows, not a stream).
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

    @Override
    public TopNOperator create(OperatorContext context) {
      return new TopNOperator(this, context.allocator());
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

    /** ROW_NUMBER's rows are replaced by partition and rank; RANK and DENSE_RANK's ties share a rank, so by row. */
    @Override
    public int[] upsertKey(List<int[]> inputKeys) {
      int rank = outputSchema.size() - 1;
      if (function != WindowRankOperator.Function.ROW_NUMBER) {
        return IntStream.range(0, outputSchema.size()).toArray();
      }
      int[] key = Arrays.copyOf(partition, partition.length + 1);
      key[partition.length] = rank;
      return key;
    }

    RowSchema inputSchema() {
      return new RowSchema(outputSchema.columns().subList(0, outputSchema.size() - 1));
    }

    @Override
    public String describe() {
      StringBuilder order = new StringBuilder();
      for (int i = 0; i < orderColumns.length; i++) {
        order.append(i == 0 ? "" : ", ").append('$').append(orderColumns[i]).append(descending[i] ? " DESC" : "");
      }
      return "Rank(" + function + " <= " + limit + ", partition=" + Arrays.toString(partition) + ", order=["
          + order + "]" + (changelogInput ? ", retracts" : "") + ")";
    }
  }

  /** A partition's rows, best first, and the ranked rows it emitted last. */
  private static final class Partition {
    final List<Object[]> rows = new ArrayList<>();
    List<Object[]> emitted = List.of();
  }

  private final Spec spec;
  private final RowSchema inputSchema;
  private final BufferAllocator allocator;
  private final Map<List<Object>, Partition> partitions = new HashMap<>();
  private final Set<List<Object>> touched = new LinkedHashSet<>();
  private long rowCount;
  private long updated;

  private TopNOperator(Spec spec, BufferAllocator allocator) {
    this.spec = spec;
    this.inputSchema = spec.inputSchema();
    this.allocator = allocator;
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
      List<Object> key = partitionOf(row);
      touched.add(key);
      Partition p = partitions.computeIfAbsent(key, k -> new Partition());
      if (kinds && RowKind.retracts(RowKind.kind(input, r))) {
        remove(p.rows, row);
      } else {
        p.rows.add(upperBound(p.rows, row), row);
        rowCount++;
      }
      updated++;
    }
    return List.of();
  }

  private List<Object> partitionOf(Object[] row) {
    Object[] key = new Object[spec.partition().length];
    for (int i = 0; i < key.length; i++) {
      key[i] = row[spec.partition()[i]];
    }
    return Arrays.asList(key);
  }

  /** Takes back one row equal to {@code row}; a row never added is ignored, as Flink does. */
  private void remove(List<Object[]> rows, Object[] row) {
    for (int i = lowerBound(rows, row); i < rows.size() && compareOrder(rows.get(i), row) == 0; i++) {
      if (Arrays.equals(rows.get(i), row)) {
        rows.remove(i);
        rowCount--;
        return;
      }
    }
  }

  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    List<Object[]> before = new ArrayList<>();
    List<Integer> beforeKinds = new ArrayList<>();
    List<Object[]> after = new ArrayList<>();
    List<Integer> afterKinds = new ArrayList<>();
    for (List<Object> key : touched) {
      Partition p = partitions.get(key);
      List<Object[]> now = ranked(p.rows);
      if (!spec.changelogInput()) {
        // Rows below the last rank can never rank again: an insert-only input takes nothing back.
        rowCount -= p.rows.size() - now.size();
        p.rows.subList(now.size(), p.rows.size()).clear();
      }
      for (int i = 0; i < Math.max(now.size(), p.emitted.size()); i++) {
        Object[] was = i < p.emitted.size() ? p.emitted.get(i) : null;
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
      p.emitted = now;
      if (p.rows.isEmpty()) {
        partitions.remove(key);
      }
    }
    touched.clear();
    List<Batch> out = new ArrayList<>();
    emit(before, beforeKinds, out);
    emit(after, afterKinds, out);
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

  /** The rows within the limit, each with its rank appended. */
  private List<Object[]> ranked(List<Object[]> rows) {
    List<Object[]> out = new ArrayList<>();
    long rank = 0;
    for (int i = 0; i < rows.size(); i++) {
      boolean tie = i > 0 && compareOrder(rows.get(i - 1), rows.get(i)) == 0;
      rank = switch (spec.function()) {
        case ROW_NUMBER -> i + 1;
        case RANK -> tie ? rank : i + 1;
        case DENSE_RANK -> tie ? rank : rank + 1;
      };
      if (rank > spec.limit()) {
        break;
      }
      Object[] row = Arrays.copyOf(rows.get(i), rows.get(i).length + 1);
      row[row.length - 1] = rank;
      out.add(row);
    }
    return out;
  }

  /** The first position whose row does not order before {@code row}. */
  private int lowerBound(List<Object[]> rows, Object[] row) {
    int lo = 0;
    int hi = rows.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareOrder(rows.get(mid), row) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first position whose row orders after {@code row}: ties keep their arrival order. */
  private int upperBound(List<Object[]> rows, Object[] row) {
    int lo = 0;
    int hi = rows.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareOrder(rows.get(mid), row) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** By the ORDER BY columns; nulls sort lowest, as in the window Top-N. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private int compareOrder(Object[] a, Object[] b) {
    for (int i = 0; i < spec.orderColumns().length; i++) {
      Object x = a[spec.orderColumns()[i]];
      Object y = b[spec.orderColumns()[i]];
      int c = x == null || y == null ? (x == y ? 0 : x == null ? -1 : 1) : ((Comparable) x).compareTo(y);
      if (c != 0) {
        return spec.descending()[i] ? -c : c;
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ state

  /** The state holds the kept input rows; what was emitted is their ranking, worked out again at restore. */
  @Override
  public void commitState(StateStore store, long version) {
    List<Row> rows = new ArrayList<>();
    for (Partition p : partitions.values()) {
      p.rows.forEach(r -> rows.add(Row.of(r)));
    }
    Schema schema = stateSchema();
    try (Batch batch = BatchBuilder.of(inputSchema, allocator, rows)) {
      List<FieldVector> vectors = new ArrayList<>();
      for (int c = 0; c < inputSchema.size(); c++) {
        var pair = batch.vector(c).getTransferPair(schema.getFields().get(c), allocator);
        pair.splitAndTransfer(0, batch.rowCount());
        vectors.add((FieldVector) pair.getTo());
      }
      try (VectorSchemaRoot root = new VectorSchemaRoot(schema.getFields(), vectors, batch.rowCount())) {
        store.write(version, true, List.of(root));
      }
    }
    updated = 0;
  }

  private Schema stateSchema() {
    return new Schema(inputSchema.columns().stream().map(c -> c.toArrowField()).toList());
  }

  /** The state holds input rows; the partition columns key them. */
  @Override
  public int[] stateKeyColumns() {
    return spec.partition();
  }

  @Override
  public void restoreState(StateStore store, long version) {
    if (version < 0) {
      return;
    }
    store.restore(version, stateSchema(), root -> {
      List<FieldVector> vectors = new ArrayList<>();
      for (int c = 0; c < inputSchema.size(); c++) {
        var pair = root.getVector(c).getTransferPair(allocator);
        pair.transfer();
        vectors.add((FieldVector) pair.getTo());
      }
      try (Batch batch = Batch.of(inputSchema, vectors, root.getRowCount())) {
        process(batch);
      }
    });
    for (List<Object> key : touched) {
      Partition p = partitions.get(key);
      p.emitted = ranked(p.rows);
    }
    touched.clear();
    updated = 0;
  }

  /** About 16 bytes a value: the boxed rows and the lists that hold them. */
  @Override
  public long heapStateBytes() {
    return rowCount * (inputSchema.size() + 2) * 16;
  }

  @Override
  public StateOperatorProgress progress() {
    return new StateOperatorProgress(name(), rowCount, updated, heapStateBytes(), 0);
  }
}
