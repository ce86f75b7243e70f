package io.freshet.exec.window;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A Top-N's rows in a {@link KeyValueState} (RocksDB): each row under a key made of a row marker, its partition,
 * its ORDER BY values and a sequence number ({@link OrderedBytes}, so that a scan of the partition's prefix gives
 * its rows in order, ties in the order they came), with the whole row as the value. Only the rows a batch touches
 * are read. The next sequence number and the row count are kept under a key before every row's. After a change in
 * the number of partitions, a partition takes the rows of its key groups from the previous partitions' checkpoints
 * (a partition's rows all come from one of them, so ties keep their order).
 */
final class KeyValueTopNRows implements TopNRows, KeyValueRestore.Target {
  /** The first byte of every row's key; the key of the next sequence number sorts before them all. */
  private static final byte ROW = 1;
  private static final byte[] SEQUENCE_KEY = {0};

  private final TopNOperator.Spec spec;
  private final StateBackend backend;
  private final TypeKind[] rowTypes;
  private final TypeKind[] partitionTypes;
  private final String operator;
  private KeyValueState state;
  private long sequence;
  private long rowCount;
  private final KeyValueRestore restorer = new KeyValueRestore();
  private final ByteSink scratch = new ByteSink();

  KeyValueTopNRows(TopNOperator.Spec spec, StateBackend backend, String operator) {
    this.spec = spec;
    this.backend = backend;
    this.operator = operator;
    this.rowTypes = spec.inputSchema().columns().stream().map(c -> c.type()).toArray(TypeKind[]::new);
    this.partitionTypes = Arrays.stream(spec.partition()).mapToObj(c -> rowTypes[c]).toArray(TypeKind[]::new);
  }

  private byte[] partitionPrefix(List<Object> partition) {
    scratch.clear();
    scratch.put(ROW);
    OrderedBytes.putAll(scratch, partition.toArray(), partitionTypes);
    return OrderedBytes.bytes(scratch);
  }

  /** The partition, then the row's ORDER BY values. */
  private byte[] orderPrefix(List<Object> partition, Object[] row) {
    scratch.clear();
    scratch.put(ROW);
    OrderedBytes.putAll(scratch, partition.toArray(), partitionTypes);
    for (int i = 0; i < spec.orderColumns().length; i++) {
      int c = spec.orderColumns()[i];
      OrderedBytes.put(scratch, row[c], rowTypes[c], spec.descending()[i]);
    }
    return OrderedBytes.bytes(scratch);
  }

  private byte[] value(Object[] row) {
    scratch.clear();
    OrderedBytes.putAll(scratch, row, rowTypes);
    return OrderedBytes.bytes(scratch);
  }

  @Override
  public void add(List<Object> partition, Object[] row) {
    byte[] prefix = orderPrefix(partition, row);
    scratch.clear();
    scratch.put(prefix, 0, prefix.length);
    OrderedBytes.putLong(scratch, sequence++);
    state.write(List.of(OrderedBytes.bytes(scratch)), List.of(value(row)));
    rowCount++;
  }

  @Override
  public void remove(List<Object> partition, Object[] row) {
    byte[][] found = new byte[1][];
    state.scanPrefix(orderPrefix(partition, row), (key, value) -> {
      if (Arrays.equals(OrderedBytes.read(value, 0, rowTypes), row)) {
        found[0] = key;
        return false;
      }
      return true;
    });
    if (found[0] != null) {
      state.delete(List.of(found[0]));
      rowCount--;
    }
  }

  @Override
  public void forEachSorted(List<Object> partition, Predicate<Object[]> visitor) {
    state.scanPrefix(partitionPrefix(partition), (key, value) -> visitor.test(OrderedBytes.read(value, 0,
        rowTypes)));
  }

  @Override
  public void keepFirst(List<Object> partition, int count) {
    List<byte[]> gone = new ArrayList<>();
    int[] seen = {0};
    state.scanPrefix(partitionPrefix(partition), (key, value) -> {
      if (seen[0]++ >= count) {
        gone.add(key);
      }
      return true;
    });
    if (!gone.isEmpty()) {
      state.delete(gone);
      rowCount -= gone.size();
    }
  }

  @Override
  public long rowCount() {
    return rowCount;
  }

  @Override
  public long heapBytes() {
    return 0;
  }

  @Override
  public void commit(StateStore store, long version) {
    scratch.clear();
    OrderedBytes.putLong(scratch, sequence);
    OrderedBytes.putLong(scratch, rowCount);
    state.write(List.of(SEQUENCE_KEY), List.of(OrderedBytes.bytes(scratch)));
    state.checkpoint(version);
  }

  /**
   * Restores the partition's own checkpoint, or, after a change in the number of partitions, gathers the rows of the
   * previous partitions' checkpoints whose partition falls in this one's key groups.
   */
  @Override
  public void restore(StateStore store, long version) {
    if (state == null) {
      state = backend.open(store.home(), operator);
    }
    restorer.restore(this, store, version);
  }

  /** Opens version {@code version} of the partition's own checkpoint, with its row count and next sequence number. */
  @Override
  public void restore(long version) {
    state.restore(version);
    sequence = 0;
    rowCount = 0;
    state.scanPrefix(SEQUENCE_KEY, (key, value) -> {
      if (key.length != SEQUENCE_KEY.length) {
        return false;
      }
      sequence = OrderedBytes.getLong(value, 0);
      rowCount = OrderedBytes.getLong(value, 8);
      return false;
    });
  }

  /**
   * Adds the rows of another partition's checkpoint (before the number of partitions changed) whose partition falls
   * in this partition's key groups, counting them and finding the next sequence number as it goes.
   */
  @Override
  public void importFrom(StateStore store, long version) {
    state.importFrom(store.directory(), version, 8192, keys -> {
      boolean[] kept = KeyValueRestore.inKeyGroups(store, keys, ROW, 1, spec.inputSchema(), spec.partition());
      for (int k = 0; k < kept.length; k++) {
        if (kept[k]) {
          // The rows it keeps, and the next sequence number after theirs.
          rowCount++;
          byte[] key = keys.get(k);
          sequence = Math.max(sequence, OrderedBytes.getLong(key, key.length - 8) + 1);
        }
      }
      return kept;
    });
  }

  /** The partition's columns, decoded from each key's prefix when the state moves between partitions. */
  @Override
  public int[] stateKeyColumns() {
    return java.util.stream.IntStream.range(0, spec.partition().length).toArray();
  }

  @Override
  public void close() {
    if (state != null) {
      state.close();
      state = null;
    }
  }
}
