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
  /** Each slot's hash, 0 for an empty one: a probe reads only these until a hash is equal. */
  private int[] hashes = new int[64];
  private int size;

  /**
   * The hash of {@code key[0, length)}: FNV-1a over the bytes, then mixed as MurmurHash3 finishes, so that keys
   * differing in a few low bytes (numbers) spread over the table (a polynomial hash maps many prices to one value).
   */
  static int hash(byte[] key, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < length; i++) {
      h = (h ^ (key[i] & 0xFF)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) h == 0 ? 1 : (int) h;
  }

  /** The rows whose prefix is {@code key[0, length)} (of hash {@code hash}), or null. */
  KeyRows get(byte[] key, int length, int hash) {
    int mask = slots.length - 1;
    for (int i = hash & mask; hashes[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == hash && slots[i].hasHead(key, length)) {
        return slots[i];
      }
    }
    return null;
  }

  /** The rows of prefix {@code key[0, length)}, added empty if there were none. */
  KeyRows getOrAdd(byte[] key, int length, int hash) {
    int mask = slots.length - 1;
    int i = hash & mask;
    for (; hashes[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == hash && slots[i].hasHead(key, length)) {
        return slots[i];
      }
    }
    KeyRows rows = new KeyRows(key, length, hash);
    slots[i] = rows;
    hashes[i] = hash;
    if (++size * 2 > slots.length) {
      grow();
    }
    return rows;
  }

  private void grow() {
    KeyRows[] old = slots;
    slots = new KeyRows[old.length * 2];
    hashes = new int[old.length * 2];
    int mask = slots.length - 1;
    for (KeyRows rows : old) {
      if (rows != null) {
        int i = rows.hash & mask;
        while (hashes[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = rows;
        hashes[i] = rows.hash;
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
    hashes[i] = 0;
    size--;
    for (int j = (i + 1) & mask; hashes[j] != 0; j = (j + 1) & mask) {
      int home = hashes[j] & mask;
      // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        slots[i] = slots[j];
        hashes[i] = hashes[j];
        slots[j] = null;
        hashes[j] = 0;
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
    hashes = new int[64];
    size = 0;
  }
}
