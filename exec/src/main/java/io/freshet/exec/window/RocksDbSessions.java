package io.freshet.exec.window;

import io.freshet.exec.aggregate.SessionState;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The open sessions of a {@link SessionAggregateOperator} kept in a {@link KeyValueState} (RocksDB), indexed two
 * ways: by key (a session entry: its key columns and start, holding the session's state row) and by the time it
 * ends (an empty closing entry: its end, key columns and start), so that a micro-batch reads only the sessions of
 * the keys its rows touch, and the sessions the watermark closes are the first closing entries in order. The
 * sessions in memory, in {@link SessionState}, are those of one micro-batch: loaded when a key first comes, written
 * back at its end (the entries read deleted first) and dropped from memory.
 */
final class RocksDbSessions implements AutoCloseable, KeyValueRestore.Target {
  private static final byte SESSION = 0;
  private static final byte CLOSING = 1;
  private static final int CHUNK = 8192;

  private final KeyValueState rocks;
  private final SessionState state;
  private final BufferAllocator allocator;
  private final ByteSink scratch = new ByteSink();
  /** The encoded keys whose sessions are in memory in this micro-batch. */
  private final Set<ByteBuffer> loaded = new HashSet<>();
  /** The session and closing entries read in this micro-batch, deleted before what is in memory is written back. */
  private final List<byte[]> read = new ArrayList<>();
  /** The watermark of this micro-batch's scan for closed sessions: every closing entry before it was read. */
  private long closedBefore = Long.MIN_VALUE;

  RocksDbSessions(KeyValueState rocks, SessionState state, BufferAllocator allocator) {
    this.rocks = rocks;
    this.state = state;
    this.allocator = allocator;
    state.loadKeysWith(this::load);
  }

  /** Loads the sessions of the keys new in memory, ids {@code from..to-1}. */
  private void load(int from, int to) {
    int n = to - from;
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = from + i;
    }
    List<FieldVector> keys = state.keyVectors(ids);
    List<byte[]> encoded = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        scratch.clear();
        KeyValueState.encode(keys, i, scratch);
        encoded.add(OrderedBytes.bytes(scratch));
      }
    } finally {
      keys.forEach(FieldVector::close);
    }
    loadKeys(encoded);
  }

  /** Reads into memory the sessions of each encoded key not in memory yet. */
  private void loadKeys(List<byte[]> keys) {
    List<byte[]> values = new ArrayList<>();
    for (byte[] key : keys) {
      if (!loaded.add(ByteBuffer.wrap(key))) {
        continue;
      }
      byte[] prefix = new byte[key.length + 1];
      prefix[0] = SESSION;
      System.arraycopy(key, 0, prefix, 1, key.length);
      rocks.scanPrefix(prefix, (entry, value) -> {
        read.add(entry);
        values.add(value);
        return true;
      });
    }
    if (values.isEmpty()) {
      return;
    }
    int n = values.size();
    int first = read.size() - n;
    List<Field> fields = state.stateSchema().getFields();
    try (VectorSchemaRoot root = new VectorSchemaRoot(fields, Vectors.empty(fields, allocator), 0)) {
      for (int i = 0; i < n; i++) {
        KeyValueState.decode(values.get(i), root.getFieldVectors(), i);
      }
      root.setRowCount(n);
      // Each session read is also indexed by its end.
      TimeStampMilliVector end = (TimeStampMilliVector) root.getVector(state.keyCount() + 1);
      for (int i = 0; i < n; i++) {
        read.add(closingEntry(read.get(first + i), end.get(i)));
      }
      state.restore(root);
    }
  }

  /** The closing entry of the session entry {@code entry}, which ends at {@code end}. */
  private static byte[] closingEntry(byte[] entry, long end) {
    ByteSink out = new ByteSink();
    out.put(CLOSING);
    OrderedBytes.putLong(out, end);
    out.put(entry, 1, entry.length - 1);
    return OrderedBytes.bytes(out);
  }

  /** Loads the keys of the sessions that end before {@code watermarkMs}, for the watermark to close them. */
  void loadClosing(long watermarkMs) {
    List<byte[]> keys = new ArrayList<>();
    rocks.scanPrefix(new byte[] {CLOSING}, (entry, value) -> {
      if (OrderedBytes.getLong(entry, 1) >= watermarkMs) {
        return false;
      }
      keys.add(Arrays.copyOfRange(entry, 9, entry.length - 8));
      if (keys.size() == CHUNK) {
        loadKeys(keys);
        keys.clear();
      }
      return true;
    });
    loadKeys(keys);
    closedBefore = watermarkMs;
  }

  /**
   * Replaces the entries read in this micro-batch by the sessions open in memory, and empties memory. The closing
   * entries before the watermark (of the sessions it closed) go as one range, so that the next scan for closed
   * sessions does not walk over their deletions one by one.
   */
  void store() {
    List<byte[]> gone = new ArrayList<>(read.size());
    for (byte[] entry : read) {
      if (entry[0] != CLOSING || OrderedBytes.getLong(entry, 1) >= closedBefore) {
        gone.add(entry);
      }
    }
    rocks.delete(gone);
    if (closedBefore != Long.MIN_VALUE) {
      scratch.clear();
      scratch.put(CLOSING);
      OrderedBytes.putLong(scratch, closedBefore);
      rocks.deleteRange(new byte[] {CLOSING}, OrderedBytes.bytes(scratch));
    }
    List<byte[]> entries = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    try (VectorSchemaRoot root = state.snapshot()) {
      List<FieldVector> all = root.getFieldVectors();
      List<FieldVector> keys = all.subList(0, state.keyCount());
      TimeStampMilliVector start = (TimeStampMilliVector) all.get(state.keyCount());
      TimeStampMilliVector end = (TimeStampMilliVector) all.get(state.keyCount() + 1);
      for (int i = 0; i < root.getRowCount(); i++) {
        scratch.clear();
        scratch.put(SESSION);
        KeyValueState.encode(keys, i, scratch);
        OrderedBytes.putLong(scratch, start.get(i));
        byte[] entry = OrderedBytes.bytes(scratch);
        scratch.clear();
        KeyValueState.encode(all, i, scratch);
        entries.add(entry);
        values.add(OrderedBytes.bytes(scratch));
        entries.add(closingEntry(entry, end.get(i)));
        values.add(new byte[0]);
      }
    }
    rocks.write(entries, values);
    state.forgetAll();
    loaded.clear();
    read.clear();
    closedBefore = Long.MIN_VALUE;
  }

  @Override
  public void restore(long version) {
    rocks.restore(version);
  }

  /**
   * Adds the entries of version {@code version} of another partition's state (before the number of partitions
   * changed) that the store's filter keeps: those of this partition's key groups.
   */
  @Override
  public void importFrom(StateStore store, long version) {
    List<Field> keyFields = state.stateSchema().getFields().subList(0, state.keyCount());
    rocks.importFrom(store.directory(), version, CHUNK, encoded -> {
      int n = encoded.size();
      boolean[] kept = new boolean[n];
      try (VectorSchemaRoot root = new VectorSchemaRoot(keyFields, Vectors.empty(keyFields, allocator), 0)) {
        for (int i = 0; i < n; i++) {
          byte[] entry = encoded.get(i);
          KeyValueState.decode(entry, entry[0] == SESSION ? 1 : 9, root.getFieldVectors(), i);
        }
        root.setRowCount(n);
        int[] rows = new int[n];
        int count = store.filter().select(root, rows);
        for (int i = 0; i < count; i++) {
          kept[rows[i]] = true;
        }
      }
      return kept;
    });
  }

  void checkpoint(long version) {
    rocks.checkpoint(version);
  }

  /** About how many sessions RocksDB holds (each has two entries). */
  long estimatedSessions() {
    return rocks.estimatedKeys() / 2;
  }

  long memoryBytes() {
    return rocks.memoryBytes();
  }

  @Override
  public void close() {
    rocks.close();
  }
}
