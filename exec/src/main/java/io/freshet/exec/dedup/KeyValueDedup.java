package io.freshet.exec.dedup;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * A deduplication's keys in a {@link KeyValueState} (RocksDB). Under {@link #ENTRY} and the key's values (written
 * ascending, {@link OrderedBytes}) is a keep-first key's marker (an empty value) or a keep-last key's row; under
 * {@link #PENDING} and the key is a keep-first row still waiting for the watermark. The {@link DedupSlots} in memory
 * hold the keys a micro-batch touches, read from here when first found, and every pending row (a few, as the
 * watermark bounds them), read back when the state is restored; at each checkpoint the changed slots are written
 * and all but the pending ones dropped from memory. The number of markers (or kept rows) is kept under a key of its
 * own, before every other. After a change in the number of partitions a partition takes the entries of its key
 * groups from each previous partition's checkpoint.
 */
final class KeyValueDedup implements KeyValueRestore.Target {
  private static final byte ENTRY = 1;
  private static final byte PENDING = 2;
  private static final byte[] COUNT_KEY = {0};
  private static final int CHUNK = 8192;

  private final KeyValueState state;
  private final DedupSlots slots;
  private final boolean keepLast;
  private final TypeKind[] keyTypes;
  private final RowSchema keySchema;
  private final BufferAllocator allocator;
  private final ByteSink scratch = new ByteSink();
  /** Keep-first markers or keep-last rows in the state restored. */
  private long entries;

  KeyValueDedup(KeyValueState state, DedupSlots slots, boolean keepLast, RowSchema keySchema,
      BufferAllocator allocator) {
    this.state = state;
    this.slots = slots;
    this.keepLast = keepLast;
    this.keySchema = keySchema;
    this.keyTypes = slots.keyTypes();
    this.allocator = allocator;
  }

  /** Keep-first markers or keep-last rows in the state restored. */
  long entries() {
    return entries;
  }

  /** The keys of {@code list} under {@code tag}. */
  private List<byte[]> keys(byte tag, int[] list) {
    List<FieldVector> columns = new ArrayList<>(keyTypes.length);
    try {
      for (int c = 0; c < keyTypes.length; c++) {
        columns.add(slots.keyVector(c, list, allocator));
      }
      List<byte[]> out = new ArrayList<>(list.length);
      for (int i = 0; i < list.length; i++) {
        scratch.clear();
        scratch.put(tag);
        for (int c = 0; c < keyTypes.length; c++) {
          OrderedBytes.put(scratch, columns.get(c), keyTypes[c], i, false);
        }
        out.add(OrderedBytes.bytes(scratch));
      }
      return out;
    } finally {
      columns.forEach(FieldVector::close);
    }
  }

  /**
   * Reads what the state holds for slots {@code from..to-1}, new in memory: a keep-first key's marker, a keep-last
   * key's row. (A pending row is always in memory.)
   */
  void load(int from, int to) {
    if (from >= to) {
      return;
    }
    int[] list = new int[to - from];
    for (int i = 0; i < list.length; i++) {
      list[i] = from + i;
    }
    List<byte[]> keys = keys(ENTRY, list);
    if (!keepLast) {
      int[] found = state.lookup(keys, List.of());
      for (int i = 0; i < list.length; i++) {
        if (found[i] >= 0) {
          slots.load(list[i], DedupSlots.EMITTED, 0, null);
        }
      }
      return;
    }
    for (int i = 0; i < list.length; i++) {
      byte[] row = state.get(keys.get(i));
      if (row != null) {
        slots.load(list[i], DedupSlots.KEPT, DedupRowCodec.time(row), row);
      }
    }
  }

  /**
   * Writes the slots changed since the last checkpoint and the number of markers (or kept rows) {@code count},
   * checkpoints {@code version}, and keeps only the pending slots in memory.
   */
  void checkpoint(long version, long count) {
    int[] changed = slots.changed();
    List<byte[]> keys = new ArrayList<>(changed.length * 2);
    List<byte[]> values = new ArrayList<>(changed.length * 2);
    List<byte[]> entryKeys = keys(ENTRY, changed);
    List<byte[]> pendingKeys = keepLast ? null : keys(PENDING, changed);
    for (int i = 0; i < changed.length; i++) {
      int s = changed[i];
      switch (slots.status(s)) {
        case DedupSlots.PENDING -> {
          keys.add(pendingKeys.get(i));
          values.add(slots.row(s));
        }
        case DedupSlots.EMITTED -> {
          keys.add(entryKeys.get(i));
          values.add(new byte[0]);
          keys.add(pendingKeys.get(i));
          values.add(null);
        }
        case DedupSlots.KEPT -> {
          keys.add(entryKeys.get(i));
          values.add(slots.row(s));
        }
        default -> {
        }
      }
    }
    scratch.clear();
    OrderedBytes.putLong(scratch, count);
    keys.add(COUNT_KEY);
    values.add(OrderedBytes.bytes(scratch));
    state.write(keys, values);
    state.checkpoint(version);
    slots.keepPending();
  }

  /** Opens version {@code version} of the partition's own checkpoint and reads its pending rows into memory. */
  @Override
  public void restore(long version) {
    state.restore(version);
    slots.clear();
    entries = 0;
    byte[] count = state.get(COUNT_KEY);
    if (count != null) {
      entries = OrderedBytes.getLong(count, 0);
    }
    readPending();
  }

  /**
   * Adds the entries of another partition's checkpoint (before the number of partitions changed) whose key falls
   * in this partition's key groups, counting the markers (or kept rows), then reads the pending rows into memory.
   */
  @Override
  public void importFrom(StateStore store, long version) {
    state.importFrom(store.directory(), version, CHUNK, keys -> {
      boolean[] entry = KeyValueRestore.inKeyGroups(store, keys, ENTRY, 1, keySchema, allKeys());
      boolean[] pending = KeyValueRestore.inKeyGroups(store, keys, PENDING, 1, keySchema, allKeys());
      boolean[] kept = new boolean[keys.size()];
      for (int i = 0; i < kept.length; i++) {
        kept[i] = entry[i] || pending[i];
        entries += entry[i] ? 1 : 0;
      }
      return kept;
    });
    readPending();
  }

  /** The pending rows in the state, into memory (those already there are read again, unchanged). */
  private void readPending() {
    List<Row> keys = new ArrayList<>();
    List<byte[]> rows = new ArrayList<>();
    state.scanPrefix(new byte[] {PENDING}, (key, value) -> {
      keys.add(Row.of(OrderedBytes.read(key, 1, keyTypes)));
      rows.add(value);
      return true;
    });
    if (keys.isEmpty()) {
      return;
    }
    try (Batch batch = BatchBuilder.of(keySchema, allocator, keys)) {
      FieldVector[] vectors = new FieldVector[keyTypes.length];
      for (int c = 0; c < vectors.length; c++) {
        vectors[c] = batch.vector(c);
      }
      int[] found = new int[keys.size()];
      slots.find(vectors, keys.size(), found);
      for (int i = 0; i < found.length; i++) {
        slots.load(found[i], DedupSlots.PENDING, DedupRowCodec.time(rows.get(i)), rows.get(i));
      }
    }
  }

  private int[] allKeys() {
    int[] all = new int[keyTypes.length];
    Arrays.setAll(all, i -> i);
    return all;
  }

  long memoryBytes() {
    return state.memoryBytes();
  }

  void close() {
    state.close();
  }
}
