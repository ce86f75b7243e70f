package io.freshet.exec.join;

import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;

/**
 * An interval join's state in a {@link KeyValueState} (RocksDB), checkpointed by the store itself. After a change
 * in the number of partitions a partition takes, from each previous partition's checkpoint, the rows whose join key
 * falls in its key groups, and the operator derives the rest from them.
 */
public final class KeyValueJoinState implements JoinState, KeyValueRestore.Target {
  private final StateBackend backend;
  private final String operator;
  private final RowSchema keySchema;
  private final byte[] rowTags;
  private final KeyValueRestore restorer = new KeyValueRestore();
  private KeyValueState state;
  private BiConsumer<byte[], byte[]> added;
  private boolean inPlace;

  public KeyValueJoinState(StateBackend backend, String operator, RowSchema keySchema, byte[] rowTags) {
    this.backend = backend;
    this.operator = operator;
    this.keySchema = keySchema;
    this.rowTags = rowTags.clone();
  }

  /** Writes not yet in the store (a null value deletes), written at once before the next read or checkpoint. */
  private final List<byte[]> pendingKeys = new ArrayList<>();
  private final List<byte[]> pendingValues = new ArrayList<>();

  @Override
  public void put(byte[] key, byte[] value) {
    pendingKeys.add(key);
    pendingValues.add(value);
  }

  @Override
  public void delete(byte[] key) {
    pendingKeys.add(key);
    pendingValues.add(null);
  }

  private void flush() {
    if (!pendingKeys.isEmpty()) {
      state.write(pendingKeys, pendingValues);
      pendingKeys.clear();
      pendingValues.clear();
    }
  }

  @Override
  public void deleteRange(byte[] from, byte[] to) {
    flush();
    state.deleteRange(from, to);
  }

  @Override
  public byte[] get(byte[] key) {
    flush();
    return state.get(key);
  }

  @Override
  public void scanFrom(byte[] from, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    flush();
    state.scanFrom(from, prefix, visitor);
  }

  @Override
  public void commit(StateStore store, long version) {
    flush();
    state.checkpoint(version);
  }

  @Override
  public boolean restore(StateStore store, long version, BiConsumer<byte[], byte[]> added) {
    if (state == null) {
      state = backend.open(store.home(), operator);
    }
    this.added = added;
    this.inPlace = false;
    restorer.restore(this, store, version);
    return inPlace;
  }

  @Override
  public void restore(long version) {
    state.restore(version);
    inPlace = version >= 0;
  }

  @Override
  public void importFrom(StateStore store, long version) {
    int[] keyColumns = IntStream.range(0, keySchema.size()).toArray();
    state.readFrom(store.directory(), version, 8192, (keys, values) -> {
      boolean[] kept = new boolean[keys.size()];
      for (byte tag : rowTags) {
        boolean[] ofTag = KeyValueRestore.inKeyGroups(store, keys, tag, 1, keySchema, keyColumns);
        for (int i = 0; i < kept.length; i++) {
          kept[i] |= ofTag[i];
        }
      }
      List<byte[]> keptKeys = new ArrayList<>();
      List<byte[]> keptValues = new ArrayList<>();
      for (int i = 0; i < kept.length; i++) {
        if (kept[i]) {
          keptKeys.add(keys.get(i));
          keptValues.add(values.get(i));
        }
      }
      state.write(keptKeys, keptValues);
      for (int i = 0; i < keptKeys.size(); i++) {
        added.accept(keptKeys.get(i), keptValues.get(i));
      }
    });
  }

  @Override
  public long heapBytes() {
    return 0;
  }

  @Override
  public void close() {
    pendingKeys.clear();
    pendingValues.clear();
    if (state != null) {
      state.close();
      state = null;
    }
  }

  @Override
  public String toString() {
    return "KeyValueJoinState" + Arrays.toString(rowTags);
  }
}
