package io.freshet.spark.rdd;

import java.util.Arrays;
import java.util.Objects;

/**
 * The keyed operations' table of a key's combined value: open addressing over arrays (each entry's key, its hash
 * code and its value, in the order the keys were first added), so that a lookup reads an index, a hash code and a
 * key instead of chasing a map's node objects. Keys follow {@code equals} and {@code hashCode}; null is a key.
 */
final class CombineTable {
  private int[] slots = new int[64]; // entry index + 1; 0 is empty
  private int[] hashes = new int[32];
  private Object[] keys = new Object[32];
  private Object[] values = new Object[32];
  private int size;

  int size() {
    return size;
  }

  Object key(int entry) {
    return keys[entry];
  }

  Object value(int entry) {
    return values[entry];
  }

  void setValue(int entry, Object value) {
    values[entry] = value;
  }

  static int hash(Object key) {
    int h = key == null ? 0 : key.hashCode();
    return h ^ (h >>> 16);
  }

  /** The entry of {@code key} (whose {@link #hash} is {@code h}), or -1. */
  int find(Object key, int h) {
    int mask = slots.length - 1;
    for (int s = h & mask; ; s = (s + 1) & mask) {
      int e = slots[s] - 1;
      if (e < 0) {
        return -1;
      }
      if (hashes[e] == h && Objects.equals(keys[e], key)) {
        return e;
      }
    }
  }

  /** Adds {@code key} (not in the table) with {@code value}; its entry comes after every earlier one. */
  void add(Object key, int h, Object value) {
    if (size == keys.length) {
      int n = size * 2;
      hashes = Arrays.copyOf(hashes, n);
      keys = Arrays.copyOf(keys, n);
      values = Arrays.copyOf(values, n);
    }
    hashes[size] = h;
    keys[size] = key;
    values[size] = value;
    size++;
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    } else {
      place(size - 1);
    }
  }

  private void place(int entry) {
    int mask = slots.length - 1;
    int s = hashes[entry] & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = entry + 1;
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int e = 0; e < size; e++) {
      place(e);
    }
  }
}
