package io.freshet.exec.join;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link KeyRows} of a {@link HeapJoinState} by their prefix (a row tag and a join key): an open-addressing
 * hash table probed linearly with the prefix read in place from a key, so that finding a key's rows neither compares
 * it with other keys nor allocates.
 */
final class PrefixTable {
  private KeyRows[] slots = new KeyRows[64];
  private int size;

  /** The hash of {@code key[0, length)}. */
  static int hash(byte[] key, int length) {
    int h = 1;
    for (int i = 0; i < length; i++) {
      h = 31 * h + key[i];
    }
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** The rows whose prefix is {@code key[0, length)} (of hash {@code hash}), or null. */
  KeyRows get(byte[] key, int length, int hash) {
    int mask = slots.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      KeyRows rows = slots[i];
      if (rows == null || rows.hash == hash && rows.hasHead(key, length)) {
        return rows;
      }
    }
  }

  /** The rows of prefix {@code key[0, length)}, added empty if there were none. */
  KeyRows getOrAdd(byte[] key, int length, int hash) {
    int mask = slots.length - 1;
    int i = hash & mask;
    for (; slots[i] != null; i = (i + 1) & mask) {
      if (slots[i].hash == hash && slots[i].hasHead(key, length)) {
        return slots[i];
      }
    }
    KeyRows rows = new KeyRows(key, length, hash);
    slots[i] = rows;
    if (++size * 2 > slots.length) {
      grow();
    }
    return rows;
  }

  private void grow() {
    KeyRows[] old = slots;
    slots = new KeyRows[old.length * 2];
    int mask = slots.length - 1;
    for (KeyRows rows : old) {
      if (rows != null) {
        int i = rows.hash & mask;
        while (slots[i] != null) {
          i = (i + 1) & mask;
        }
        slots[i] = rows;
      }
    }
  }

  /** Takes {@code rows} (now empty) out, moving back the entries after it that probed past its slot. */
  void remove(KeyRows rows) {
    int mask = slots.length - 1;
    int i = rows.hash & mask;
    while (slots[i] != rows) {
      i = (i + 1) & mask;
    }
    slots[i] = null;
    size--;
    for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
      int home = slots[j].hash & mask;
      // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        slots[i] = slots[j];
        slots[j] = null;
        i = j;
      }
    }
  }

  /** Every prefix's rows, in no order. */
  List<KeyRows> all() {
    List<KeyRows> all = new ArrayList<>(size);
    for (KeyRows rows : slots) {
      if (rows != null) {
        all.add(rows);
      }
    }
    return all;
  }

  void clear() {
    slots = new KeyRows[64];
    size = 0;
  }
}
