package io.freshet.exec.join;

import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * An interval join's state on the heap, without comparing a key with others to find its place: rows (keys that begin
 * with a row tag and the join key) in a hash table of their prefix ({@link PrefixTable}), each prefix's rows in
 * the order of the rest of their keys ({@link KeyRows}); the other entries, index entries ordered by a number,
 * in buckets of that number ({@link OrderedIndex}). A probe finds its key's rows by hash and reads them in order;
 * a put mostly appends. A scan over a prefix shorter than a row's prefix gathers and sorts the prefixes it covers.
 *
 * <p>Its checkpoint ({@link JoinCheckpoint}) holds the rows; between the store's snapshots it writes only the rows
 * put or deleted since the version before. The operator derives the other entries from the rows on a restore.
 */
public final class HeapJoinState implements JoinState {
  /** The most changes it remembers per row before it writes the next version whole instead. */
  private static final int CHANGES_PER_ROW = 4;

  private final PrefixTable rows = new PrefixTable();
  /**
   * Per row tag, the prefix's rows used last: a run of rows of one key (a window's, or rows evicted) is found
   * without hashing.
   */
  private final KeyRows[] recent = new KeyRows[256];
  private final OrderedIndex index = new OrderedIndex();
  private final TypeKind[] keyTypes;
  private final boolean[] rowTag = new boolean[256];
  private final JoinCheckpoint checkpoint;
  private long rowBytes;
  private long rowCount;
  /**
   * The rows put since the last commit, in order, each with its value (null: deleted); a key may be there more
   * than once, and a restore applies them in order.
   */
  private List<byte[]> changedKeys = new ArrayList<>();
  private List<byte[]> changedValues = new ArrayList<>();
  /** Whether the changes were too many to remember: the next version is written whole. */
  private boolean changesLost;

  /** @param rowTags the first bytes of the keys of rows, each followed by the join key's values ascending */
  public HeapJoinState(RowSchema keySchema, byte[] rowTags, BufferAllocator allocator) {
    this.keyTypes = keySchema.columns().stream().map(c -> c.type()).toArray(TypeKind[]::new);
    for (byte tag : rowTags) {
      rowTag[tag & 0xFF] = true;
    }
    this.checkpoint = new JoinCheckpoint(keySchema, allocator);
  }

  private boolean isRow(byte[] key) {
    return rowTag[key[0] & 0xFF];
  }

  /** The length of the prefix of row key {@code key}: its tag and join key; -1 if it is shorter than that. */
  private int prefixLength(byte[] key) {
    int p = 1;
    for (TypeKind type : keyTypes) {
      if (p >= key.length) {
        return -1;
      }
      if (key[p++] == 0) {
        continue;
      }
      if (type == TypeKind.VARCHAR) {
        while (p + 1 < key.length && !(key[p] == 0 && key[p + 1] == 0)) {
          p += key[p] == 0 ? 2 : 1;
        }
        p += 2;
      } else {
        p += type == TypeKind.BOOLEAN ? 1 : type == TypeKind.INT ? 4 : 8;
      }
    }
    return p <= key.length ? p : -1;
  }

  private int rowPrefix(byte[] key) {
    int length = prefixLength(key);
    if (length < 0) {
      throw FreshetException.internal("A join state's row key of " + key.length + " bytes lacks its join key", null);
    }
    return length;
  }

  private KeyRows rowsOf(byte[] key) {
    return rowsOf(key, rowPrefix(key));
  }

  /** The rows of prefix {@code key[0, length)}, or null. */
  private KeyRows rowsOf(byte[] key, int length) {
    KeyRows last = recent[key[0] & 0xFF];
    if (last != null && last.hasHead(key, length)) {
      return last;
    }
    KeyRows found = rows.get(key, length, PrefixTable.hash(key, length));
    if (found != null) {
      recent[key[0] & 0xFF] = found;
    }
    return found;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    if (!isRow(key)) {
      index.put(key, value);
      return;
    }
    int length = rowPrefix(key);
    KeyRows keyRows = recent[key[0] & 0xFF];
    if (keyRows == null || !keyRows.hasHead(key, length)) {
      keyRows = rows.getOrAdd(key, length, PrefixTable.hash(key, length));
      recent[key[0] & 0xFF] = keyRows;
    }
    byte[] old = keyRows.put(key, value);
    rowBytes += value.length - (old == null ? -key.length - 64 : old.length);
    rowCount += old == null ? 1 : 0;
    changed(key, value);
  }

  @Override
  public void delete(byte[] key) {
    if (!isRow(key)) {
      index.remove(key);
      return;
    }
    KeyRows keyRows = rowsOf(key);
    byte[] old = keyRows == null ? null : keyRows.remove(key);
    if (old != null) {
      rowBytes -= key.length + old.length + 64;
      rowCount--;
      if (keyRows.live() == 0) {
        rows.remove(keyRows);
        recent[key[0] & 0xFF] = null;
      }
      changed(key, null);
    }
  }

  private void changed(byte[] key, byte[] value) {
    if (changesLost) {
      return;
    }
    changedKeys.add(key);
    changedValues.add(value);
    if (changedKeys.size() > 1024 && changedKeys.size() > CHANGES_PER_ROW * rowCount) {
      forgetChanges();
      changesLost = true;
    }
  }

  private void forgetChanges() {
    changedKeys = new ArrayList<>();
    changedValues = new ArrayList<>();
    changesLost = false;
  }

  @Override
  public byte[] get(byte[] key) {
    if (!isRow(key)) {
      return index.get(key);
    }
    KeyRows keyRows = rowsOf(key);
    return keyRows == null ? null : keyRows.get(key);
  }

  @Override
  public void scanFrom(byte[] from, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    if (!isRow(prefix)) {
      index.scanFrom(from, prefix, visitor);
      return;
    }
    int length = prefixLength(prefix);
    if (length > 0) {
      KeyRows keyRows = rowsOf(prefix, length);
      if (keyRows != null) {
        keyRows.scanFrom(from, prefix, visitor);
      }
      return;
    }
    // A prefix shorter than a row's: the prefixes it covers, in order.
    List<KeyRows> covered = new ArrayList<>();
    for (KeyRows keyRows : rows.all()) {
      if (keyRows.headLength >= prefix.length && Arrays.equals(keyRows.head, 0, prefix.length, prefix, 0,
          prefix.length)) {
        covered.add(keyRows);
      }
    }
    covered.sort((a, b) -> Arrays.compareUnsigned(a.head, 0, a.headLength, b.head, 0, b.headLength));
    for (KeyRows keyRows : covered) {
      boolean within = from.length >= keyRows.headLength
          && Arrays.equals(from, 0, keyRows.headLength, keyRows.head, 0, keyRows.headLength);
      if (within ? !keyRows.scanFrom(from, prefix, visitor)
          : Arrays.compareUnsigned(keyRows.head, 0, keyRows.headLength, from, 0, from.length) > 0
              && !keyRows.scanFrom(null, prefix, visitor)) {
        return;
      }
    }
  }

  @Override
  public void deleteRange(byte[] from, byte[] to) {
    if (from[0] == to[0] && !isRow(from)) {
      index.removeRange(from[0] & 0xFF, from, to);
      return;
    }
    List<byte[]> gone = new ArrayList<>();
    for (int tag = from[0] & 0xFF; tag <= (to[0] & 0xFF); tag++) {
      byte[] tagged = {(byte) tag};
      scanFrom(tag == (from[0] & 0xFF) ? from : tagged, tagged, (k, v) -> {
        if (Arrays.compareUnsigned(k, to) >= 0) {
          return false;
        }
        gone.add(k);
        return true;
      });
    }
    gone.forEach(this::delete);
  }

  @Override
  public void takeIndexBelow(byte tag, long from, long below, Consumer<byte[]> taken) {
    if (rowTag[tag & 0xFF]) {
      JoinState.super.takeIndexBelow(tag, from, below, taken);
    } else {
      index.takeBelow(tag & 0xFF, from, below, taken);
    }
  }

  @Override
  public void commit(StateStore store, long version) {
    boolean snapshot = changesLost || store.snapshotDue(version);
    if (snapshot) {
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      for (KeyRows keyRows : rows.all()) {
        keyRows.forEach((k, v) -> {
          keys.add(k);
          values.add(v);
        });
      }
      checkpoint.write(store, version, true, keys, values);
    } else {
      checkpoint.write(store, version, false, changedKeys, changedValues);
    }
    forgetChanges();
  }

  @Override
  public boolean restore(StateStore store, long version, BiConsumer<byte[], byte[]> added) {
    if (version < 0) {
      return false;
    }
    // The rows this restore adds, each once; other partitions' restores (after a change in their number) add others.
    List<byte[]> restored = new ArrayList<>();
    Set<ByteBuffer> deleted = new HashSet<>();
    checkpoint.restore(store, version, (key, value) -> {
      KeyRows keyRows = rowsOf(key);
      boolean present = keyRows != null && keyRows.get(key) != null;
      put(key, value);
      if (!present && !deleted.contains(ByteBuffer.wrap(key))) {
        restored.add(key);
      }
    }, key -> {
      delete(key);
      deleted.add(ByteBuffer.wrap(key));
    });
    forgetChanges();
    for (byte[] key : restored) {
      byte[] value = get(key);
      if (value != null) {
        added.accept(key, value);
      }
    }
    return false;
  }

  @Override
  public long heapBytes() {
    return rowBytes + index.bytes();
  }

  @Override
  public void close() {
    rows.clear();
    Arrays.fill(recent, null);
    index.clear();
    forgetChanges();
    rowBytes = 0;
    rowCount = 0;
  }
}
