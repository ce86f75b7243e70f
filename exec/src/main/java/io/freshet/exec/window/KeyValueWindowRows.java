package io.freshet.exec.window;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;

/**
 * The rows a window Top-N holds until their window closes, in a {@link KeyValueState} (RocksDB). A row's key is a
 * row marker, the time its window closes, its partition, its ORDER BY values and a sequence number
 * ({@link OrderedBytes}), so the rows of the windows the watermark closes are the first keys, in rank order within
 * each partition, ties in the order they came: they are ranked as they are read, without sorting, and then deleted
 * as one range. A row's value is where its partition and order end in the key, then the row itself. The next
 * sequence number is kept under a key before every row's.
 */
final class KeyValueWindowRows implements AutoCloseable, KeyValueRestore.Target {
  private static final byte ROW = 1;
  private static final byte[] SEQUENCE_KEY = {0};
  private static final int CHUNK = 8192;

  private final WindowRankOperator.Spec spec;
  private final RowSchema inputSchema;
  private final BufferAllocator allocator;
  private final KeyValueState state;
  private final TypeKind[] partitionTypes;
  private final ByteSink scratch = new ByteSink();
  private long sequence;
  private final KeyValueRestore restorer = new KeyValueRestore();

  KeyValueWindowRows(WindowRankOperator.Spec spec, StateBackend backend, StateStore store,
      BufferAllocator allocator) {
    this.spec = spec;
    this.inputSchema = spec.inputSchema();
    this.allocator = allocator;
    this.partitionTypes = Arrays.stream(spec.partition()).mapToObj(inputSchema::type).toArray(TypeKind[]::new);
    this.state = backend.open(store.home(), "WindowRank " + spec.describe());
  }

  /** Holds every row of {@code input} until its window closes. */
  void add(Batch input) {
    int n = input.rowCount();
    List<FieldVector> columns = new ArrayList<>();
    for (int c = 0; c < input.columnCount(); c++) {
      columns.add(input.vector(c));
    }
    FieldVector close = input.vector(spec.closeColumn());
    List<byte[]> keys = new ArrayList<>(n);
    List<byte[]> values = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      scratch.clear();
      scratch.put(ROW);
      OrderedBytes.putLong(scratch, WindowRankOperator.closeTime(spec, close, r));
      for (int p : spec.partition()) {
        OrderedBytes.put(scratch, input.vector(p), inputSchema.type(p), r, false);
      }
      int partitionEnd = scratch.length();
      for (int i = 0; i < spec.orderColumns().length; i++) {
        int c = spec.orderColumns()[i];
        OrderedBytes.put(scratch, input.vector(c), inputSchema.type(c), r, spec.descending()[i]);
      }
      int orderEnd = scratch.length();
      OrderedBytes.putLong(scratch, sequence++);
      keys.add(OrderedBytes.bytes(scratch));
      scratch.clear();
      OrderedBytes.putLong(scratch, ((long) partitionEnd << 32) | orderEnd);
      KeyValueState.encode(columns, r, scratch);
      values.add(OrderedBytes.bytes(scratch));
    }
    state.write(keys, values);
  }

  /**
   * Ranks the rows of the windows that close at or before {@code watermarkMs}, adds those within the limit to
   * {@code out} with their rank, and forgets them all.
   */
  void closeWindows(long watermarkMs, List<Batch> out) {
    List<byte[]> ranked = new ArrayList<>();
    long[] ranks = new long[CHUNK];
    WindowRankOperator.Ranker ranker = new WindowRankOperator.Ranker(spec.function());
    // The key of the row before, and where its partition and its ORDER BY values end in it.
    byte[][] previous = {null};
    int[] previousEnds = new int[2];
    state.scanPrefix(new byte[] {ROW}, (key, value) -> {
      if (OrderedBytes.getLong(key, 1) > watermarkMs) {
        return false;
      }
      long ends = OrderedBytes.getLong(value, 0);
      int partitionEnd = (int) (ends >>> 32);
      int orderEnd = (int) ends;
      byte[] last = previous[0];
      // The encodings are prefix-free: equal values have equal lengths and bytes.
      boolean samePartition = last != null && previousEnds[0] == partitionEnd
          && Arrays.equals(last, 0, partitionEnd, key, 0, partitionEnd);
      boolean tie = samePartition && previousEnds[1] == orderEnd
          && Arrays.equals(last, partitionEnd, orderEnd, key, partitionEnd, orderEnd);
      long rank = ranker.next(samePartition, tie);
      previous[0] = key;
      previousEnds[0] = partitionEnd;
      previousEnds[1] = orderEnd;
      if (rank <= spec.limit()) {
        ranks[ranked.size()] = rank;
        ranked.add(value);
        if (ranked.size() == CHUNK) {
          out.add(rows(ranked, ranks));
          ranked.clear();
        }
      }
      return true;
    });
    if (!ranked.isEmpty()) {
      out.add(rows(ranked, ranks));
    }
    if (previous[0] == null) {
      return;
    }
    byte[] to;
    if (watermarkMs == Long.MAX_VALUE) {
      to = new byte[] {ROW + 1};
    } else {
      scratch.clear();
      scratch.put(ROW);
      OrderedBytes.putLong(scratch, watermarkMs + 1);
      to = OrderedBytes.bytes(scratch);
    }
    state.deleteRange(new byte[] {ROW}, to);
  }

  /** The rows encoded in {@code values} with their {@code ranks}, as output. */
  private Batch rows(List<byte[]> values, long[] ranks) {
    int n = values.size();
    List<FieldVector> vectors = Vectors.empty(inputSchema.columns().stream().map(c -> c.toArrowField()).toList(),
        allocator);
    Owned.orClose(vectors, () -> {
      for (int i = 0; i < n; i++) {
        KeyValueState.decode(values.get(i), 8, vectors, i);
      }
      vectors.forEach(v -> v.setValueCount(n));
      BigIntVector rank = new BigIntVector("rank", allocator);
      vectors.add(rank);
      rank.allocateNew(n);
      for (int i = 0; i < n; i++) {
        rank.set(i, ranks[i]);
      }
      rank.setValueCount(n);
    });
    return Batch.of(spec.outputSchema(), vectors, n);
  }

  void commit(long version) {
    scratch.clear();
    OrderedBytes.putLong(scratch, sequence);
    state.write(List.of(SEQUENCE_KEY), List.of(OrderedBytes.bytes(scratch)));
    state.checkpoint(version);
  }

  /**
   * Restores the partition's own checkpoint, or, after a change in the number of partitions, gathers the rows of the
   * previous partitions' checkpoints whose partition falls in this one's key groups.
   */
  void restore(StateStore store, long version) {
    restorer.restore(this, store, version);
  }

  /** Opens version {@code version} of the partition's own checkpoint, with its next sequence number. */
  @Override
  public void restore(long version) {
    state.restore(version);
    sequence = 0;
    state.scanPrefix(SEQUENCE_KEY, (key, value) -> {
      if (key.length == SEQUENCE_KEY.length) {
        sequence = OrderedBytes.getLong(value, 0);
      }
      return false;
    });
  }

  /** Adds the rows of another partition's checkpoint that this one owns, and the next sequence number after theirs. */
  @Override
  public void importFrom(StateStore store, long version) {
    state.importFrom(store.directory(), version, CHUNK, keys -> {
      boolean[] kept = KeyValueRestore.inKeyGroups(store, keys, ROW, 9, inputSchema, spec.partition());
      for (int i = 0; i < kept.length; i++) {
        if (kept[i]) {
          byte[] key = keys.get(i);
          sequence = Math.max(sequence, OrderedBytes.getLong(key, key.length - 8) + 1);
        }
      }
      return kept;
    });
  }

  long estimatedRows() {
    return state.estimatedKeys();
  }

  long memoryBytes() {
    return state.memoryBytes();
  }

  @Override
  public void close() {
    state.close();
  }
}
