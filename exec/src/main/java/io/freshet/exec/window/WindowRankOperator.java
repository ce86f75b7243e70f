package io.freshet.exec.window;

import io.freshet.exec.aggregate.KeyTable;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Window Top-N: holds each window's rows until the watermark closes the window, then ranks them per partition by
 * the ORDER BY columns and emits those ranked within the limit, with their rank appended. Over a window
 * aggregation every row of a window arrives in the batch that closes it, so nothing is held between batches.
 * ROW_NUMBER breaks ties by arrival order; RANK and DENSE_RANK give ties the same rank and keep them all. With
 * RocksDB the held rows are kept there instead, in rank order ({@link KeyValueWindowRows}).
 */
public final class WindowRankOperator implements StatefulOperator {

  public enum Function { ROW_NUMBER, RANK, DENSE_RANK }

  /**
   * The plan-time description; the output is the input's columns followed by the rank (BIGINT).
   *
   * @param closeColumn the partition column that closes a window (window_end, or window_start/time with the
   *     offset that turns it into the end)
   */
  public record Spec(int[] partition, int closeColumn, long closeOffsetMs, int[] orderColumns, boolean[] descending,
      Function function, long limit, RowSchema outputSchema) implements OperatorFactory {
    public Spec {
      partition = partition.clone();
      orderColumns = orderColumns.clone();
      descending = descending.clone();
    }

    @Override
    public WindowRankOperator create(OperatorContext context) {
      return new WindowRankOperator(this, context.allocator(), context.stateBackend());
    }

    @Override
    public String kind() {
      return "rank";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    RowSchema inputSchema() {
      return withoutRank(outputSchema);
    }

    @Override
    public String describe() {
      return "WindowRank(" + ranking(function, limit, partition, orderColumns, descending, Integer::toString,
          i -> "$" + i) + ")";
    }

    @Override
    public String describe(IntFunction<String> column) {
      return "WindowRank(" + ranking(function, limit, partition, orderColumns, descending, column, column) + ", "
          + "closes at " + column.apply(closeColumn) + " + " + closeOffsetMs + " ms)";
    }
  }

  /** Ranks the rows of a ranking handed over in order: partition by partition, in the order of ranking. */
  static final class Ranker {
    private final Function function;
    private long position;
    private long rank;

    Ranker(Function function) {
      this.function = function;
    }

    /**
     * The rank of the next row: the first of a partition unless {@code samePartition}, equal to the row before in
     * the ORDER BY columns when {@code tie}.
     */
    long next(boolean samePartition, boolean tie) {
      if (!samePartition) {
        position = 0;
        rank = 0;
        tie = false;
      }
      position++;
      rank = switch (function) {
        case ROW_NUMBER -> position;
        case RANK -> tie ? rank : position;
        case DENSE_RANK -> tie ? rank : rank + 1;
      };
      return rank;
    }
  }

  /** The columns of a ranking's rows before their rank, the last column. */
  static RowSchema withoutRank(RowSchema ranked) {
    return new RowSchema(ranked.columns().subList(0, ranked.size() - 1));
  }

  /** How EXPLAIN shows a ranking: its function and limit, partition and order. */
  /** The ranking as EXPLAIN writes it: partition columns written as {@code key} names them, order columns as {@code ref}. */
  static String ranking(Function function, long limit, int[] partition, int[] orderColumns, boolean[] descending,
      IntFunction<String> key, IntFunction<String> ref) {
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < orderColumns.length; i++) {
      order.append(i == 0 ? "" : ", ").append(ref.apply(orderColumns[i])).append(descending[i] ? " DESC" : "");
    }
    return function + " <= " + limit + ", partition=" + Arrays.stream(partition).mapToObj(key).toList() + ", order=["
        + order + "]";
  }

  /** A buffered input batch and the watermark up to which its rows have been handled. */
  private static final class Held {
    final Batch batch;
    long handledUpTo;

    Held(Batch batch, long handledUpTo) {
      this.batch = batch;
      this.handledUpTo = handledUpTo;
    }
  }

  private final Spec spec;
  private final RowSchema inputSchema;
  private final BufferAllocator allocator;
  private final List<Held> held = new ArrayList<>();
  private final Schema stateSchema;
  private long updated;
  private final StateBackend backend;
  /** The held rows in RocksDB, or null when they are held in {@link #held} on the heap. */
  private KeyValueWindowRows rocks;

  private WindowRankOperator(Spec spec, BufferAllocator allocator, StateBackend backend) {
    this.spec = spec;
    this.backend = backend;
    this.inputSchema = spec.inputSchema();
    this.allocator = allocator;
    List<Field> fields = new ArrayList<>();
    for (var c : inputSchema.columns()) {
      fields.add(c.toArrowField());
    }
    this.stateSchema = new Schema(fields);
  }

  @Override
  public String name() {
    return "WindowRank";
  }

  @Override
  public List<Batch> process(Batch input) {
    if (rocks != null) {
      rocks.add(input);
      updated += input.rowCount();
    } else if (input.rowCount() > 0) {
      held.add(new Held(input.share(allocator), Long.MIN_VALUE));
      updated += input.rowCount();
    }
    return List.of();
  }

  private long closeTime(FieldVector v, int row) {
    return closeTime(spec, v, row);
  }

  /** When the window of row {@code row} closes, from its close column {@code v}. */
  static long closeTime(Spec spec, FieldVector v, int row) {
    return MemoryUtil.getLong(Vectors.data(v) + ((long) row << 3)) + spec.closeOffsetMs();
  }

  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    if (rocks != null) {
      List<Batch> out = new ArrayList<>();
      try {
        rocks.closeWindows(watermarkMs, out);
      } catch (RuntimeException | Error e) {
        out.forEach(Batch::close);
        throw e;
      }
      return out;
    }
    if (held.isEmpty()) {
      return List.of();
    }
    // Candidates: rows whose window closed since their batch was last looked at, as (held index << 32 | row).
    long[] candidates = new long[16];
    int count = 0;
    KeyTable partitions = new KeyTable(partitionTypes());
    int[][] partitionOf = new int[held.size()][];
    for (int h = 0; h < held.size(); h++) {
      Held entry = held.get(h);
      Batch b = entry.batch;
      FieldVector close = b.vector(spec.closeColumn());
      int n = b.rowCount();
      FieldVector[] keyVectors = new FieldVector[spec.partition().length];
      for (int k = 0; k < keyVectors.length; k++) {
        keyVectors[k] = b.vector(spec.partition()[k]);
      }
      partitionOf[h] = new int[n];
      partitions.findOrInsert(keyVectors, n, partitionOf[h]);
      for (int r = 0; r < n; r++) {
        long t = closeTime(close, r);
        if (t <= watermarkMs && t > entry.handledUpTo) {
          if (count == candidates.length) {
            candidates = Arrays.copyOf(candidates, count * 2);
          }
          candidates[count++] = ((long) h << 32) | r;
        }
      }
    }
    List<Batch> out = new ArrayList<>();
    if (count > 0) {
      long[] sorted = Arrays.copyOf(candidates, count);
      mergeSort(sorted, new long[count], 0, count, partitionOf);
      emitRanked(sorted, partitionOf, out);
    }
    List<Held> keep = new ArrayList<>();
    for (Held entry : held) {
      Batch b = entry.batch;
      FieldVector close = b.vector(spec.closeColumn());
      boolean open = false;
      for (int r = 0; r < b.rowCount() && !open; r++) {
        open = closeTime(close, r) > watermarkMs;
      }
      if (open) {
        entry.handledUpTo = Math.max(entry.handledUpTo, watermarkMs);
        keep.add(entry);
      } else {
        b.close();
      }
    }
    held.clear();
    held.addAll(keep);
    return out;
  }

  private TypeKind[] partitionTypes() {
    TypeKind[] types = new TypeKind[spec.partition().length];
    for (int k = 0; k < types.length; k++) {
      types[k] = inputSchema.type(spec.partition()[k]);
    }
    return types;
  }

  private void emitRanked(long[] sorted, int[][] partitionOf, List<Batch> out) {
    int[][] rows = new int[held.size()][];
    long[][] ranks = new long[held.size()][];
    int[] counts = new int[held.size()];
    Ranker ranker = new Ranker(spec.function());
    int previousPartition = -1;
    long previous = -1;
    for (long c : sorted) {
      int h = (int) (c >>> 32);
      int r = (int) c;
      int p = partitionOf[h][r];
      boolean samePartition = p == previousPartition;
      long rank = ranker.next(samePartition, samePartition && compareOrder(previous, c) == 0);
      previousPartition = p;
      previous = c;
      if (rank > spec.limit()) {
        continue;
      }
      if (rows[h] == null) {
        rows[h] = new int[held.get(h).batch.rowCount()];
        ranks[h] = new long[rows[h].length];
      }
      rows[h][counts[h]] = r;
      ranks[h][counts[h]++] = rank;
    }
    for (int h = 0; h < held.size(); h++) {
      if (counts[h] == 0) {
        continue;
      }
      Batch b = held.get(h).batch;
      int n = counts[h];
      List<FieldVector> vectors = new ArrayList<>();
      for (int col = 0; col < inputSchema.size(); col++) {
        vectors.add(Vectors.gather(b.vector(col), inputSchema.type(col), rows[h], n, allocator));
      }
      BigIntVector rankVector = new BigIntVector("rank", allocator);
      rankVector.allocateNew(n);
      for (int i = 0; i < n; i++) {
        rankVector.set(i, ranks[h][i]);
      }
      vectors.add(rankVector);
      out.add(Batch.of(spec.outputSchema(), vectors, n));
    }
  }

  /** Stable merge sort by (partition, ORDER BY columns), arrival order breaking ties. */
  private void mergeSort(long[] a, long[] tmp, int from, int to, int[][] partitionOf) {
    if (to - from < 2) {
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, partitionOf);
    mergeSort(a, tmp, mid, to, partitionOf);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      tmp[k++] = compare(a[j], a[i], partitionOf) < 0 ? a[j++] : a[i++];
    }
    while (i < mid) {
      tmp[k++] = a[i++];
    }
    while (j < to) {
      tmp[k++] = a[j++];
    }
    System.arraycopy(tmp, from, a, from, to - from);
  }

  private int compare(long x, long y, int[][] partitionOf) {
    int px = partitionOf[(int) (x >>> 32)][(int) x];
    int py = partitionOf[(int) (y >>> 32)][(int) y];
    if (px != py) {
      return Integer.compare(px, py);
    }
    return compareOrder(x, y);
  }

  private int compareOrder(long x, long y) {
    Batch bx = held.get((int) (x >>> 32)).batch;
    Batch by = held.get((int) (y >>> 32)).batch;
    int rx = (int) x;
    int ry = (int) y;
    for (int i = 0; i < spec.orderColumns().length; i++) {
      int col = spec.orderColumns()[i];
      int c = compareValues(bx.vector(col), rx, by.vector(col), ry, inputSchema.type(col));
      if (c != 0) {
        return spec.descending()[i] ? -c : c;
      }
    }
    return 0;
  }

  /** Compares row {@code ra} of {@code a} with row {@code rb} of {@code b}, both of {@code type}; nulls sort lowest. */
  public static int compareValues(FieldVector a, int ra, FieldVector b, int rb, TypeKind type) {
    boolean na = a.isNull(ra);
    boolean nb = b.isNull(rb);
    if (na || nb) {
      return na == nb ? 0 : na ? -1 : 1;
    }
    switch (type) {
      case DOUBLE:
        return Double.compare(Vectors.readDouble(Vectors.data(a), ra), Vectors.readDouble(Vectors.data(b), rb));
      case VARCHAR: {
        VarCharVector sa = (VarCharVector) a;
        VarCharVector sb = (VarCharVector) b;
        int startA = Vectors.stringStart(sa.getOffsetBufferAddress(), ra);
        int startB = Vectors.stringStart(sb.getOffsetBufferAddress(), rb);
        return Vectors.compareBytes(sa.getDataBufferAddress() + startA,
            Vectors.stringEnd(sa.getOffsetBufferAddress(), ra) - startA, sb.getDataBufferAddress() + startB,
            Vectors.stringEnd(sb.getOffsetBufferAddress(), rb) - startB);
      }
      case BOOLEAN:
        return Boolean.compare(Vectors.bit(Vectors.data(a), ra), Vectors.bit(Vectors.data(b), rb));
      default:
        return Long.compare(Vectors.readLong(Vectors.data(a), type.width(), ra),
            Vectors.readLong(Vectors.data(b), type.width(), rb));
    }
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    if (rocks != null) {
      rocks.commit(version);
      updated = 0;
      return;
    }
    List<VectorSchemaRoot> sections = new ArrayList<>();
    try {
      for (Held entry : held) {
        Batch b = entry.batch;
        FieldVector close = b.vector(spec.closeColumn());
        int[] rows = new int[b.rowCount()];
        int n = 0;
        for (int r = 0; r < b.rowCount(); r++) {
          if (closeTime(close, r) > entry.handledUpTo) {
            rows[n++] = r;
          }
        }
        List<FieldVector> vectors = new ArrayList<>();
        for (int col = 0; col < inputSchema.size(); col++) {
          FieldVector v = Vectors.gather(b.vector(col), inputSchema.type(col), rows, n, allocator);
          var pair = v.getTransferPair(stateSchema.getFields().get(col), allocator);
          pair.transfer();
          v.close();
          vectors.add((FieldVector) pair.getTo());
        }
        sections.add(new VectorSchemaRoot(stateSchema.getFields(), vectors, n));
      }
      if (sections.isEmpty()) {
        sections.add(VectorSchemaRoot.create(stateSchema, allocator));
      }
      // Held rows are few (windows not yet closed), so each version is written whole.
      store.write(version, true, sections);
    } finally {
      sections.forEach(VectorSchemaRoot::close);
    }
    updated = 0;
  }

  /**
   * The state holds input rows, partitioned by the window's PARTITION BY columns; in RocksDB, those decoded from
   * each row's key.
   */
  @Override
  public int[] stateKeyColumns() {
    return backend.pagesToDisk() ? IntStream.range(0, spec.partition().length).toArray()
        : spec.partition();
  }

  @Override
  public void restoreState(StateStore store, long version) {
    if (backend.pagesToDisk()) {
      if (rocks == null) {
        rocks = new KeyValueWindowRows(spec, backend, store, allocator);
      }
      rocks.restore(store, version);
      return;
    }
    if (version < 0) {
      return;
    }
    store.restore(version, stateSchema, root -> {
      int n = root.getRowCount();
      if (n == 0) {
        return;
      }
      List<FieldVector> vectors = new ArrayList<>();
      for (int col = 0; col < inputSchema.size(); col++) {
        var pair = root.getVector(col).getTransferPair(allocator);
        pair.transfer();
        vectors.add((FieldVector) pair.getTo());
      }
      held.add(new Held(Batch.of(inputSchema, vectors, n), Long.MIN_VALUE));
    });
  }

  @Override
  public StateOperatorProgress progress() {
    if (rocks != null) {
      return new StateOperatorProgress(name(), rocks.estimatedRows(), updated, rocks.memoryBytes(), 0);
    }
    long rows = 0;
    long bytes = 0;
    for (Held entry : held) {
      rows += entry.batch.rowCount();
      for (int c = 0; c < entry.batch.columnCount(); c++) {
        bytes += entry.batch.vector(c).getBufferSize();
      }
    }
    return new StateOperatorProgress(name(), rows, updated, bytes, 0);
  }

  @Override
  public void close() {
    if (rocks != null) {
      rocks.close();
      rocks = null;
    }
    held.forEach(entry -> entry.batch.close());
    held.clear();
  }
}
