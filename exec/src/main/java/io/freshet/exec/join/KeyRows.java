package io.freshet.exec.join;

import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * The entries of one row prefix (a row tag and a join key) of a {@link HeapJoinState}, in the order of their keys:
 * two arrays sorted by key, in which a key greater than the last (a row's time and sequence number mostly grow) is
 * appended. A deleted entry leaves its key with a null value behind, taken away from either end at once (rows go
 * mostly oldest first) and from the middle when the dead outnumber the live, so that deleting is not a shift.
 */
final class KeyRows {
  /** The prefix's bytes: those of {@code head[0, headLength)}, the key first put. */
  final byte[] head;
  final int headLength;
  final int hash;
  private byte[][] keys = new byte[4][];
  private byte[][] values = new byte[4][];
  private int start;
  private int end;
  private int live;

  KeyRows(byte[] head, int headLength, int hash) {
    this.head = head;
    this.headLength = headLength;
    this.hash = hash;
  }

  /** Whether the prefix is {@code key[0, length)}. */
  boolean hasHead(byte[] key, int length) {
    return length == headLength && Arrays.equals(head, 0, length, key, 0, length);
  }

  int live() {
    return live;
  }

  private int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, headLength, a.length, b, headLength, b.length);
  }

  /** The index of {@code key} in {@code [start, end)}, or {@code -(where it would go) - 1}. */
  private int find(byte[] key) {
    if (end > start) {
      int c = compare(keys[end - 1], key);
      if (c <= 0) {
        return c == 0 ? end - 1 : -end - 1;
      }
    }
    int lo = start;
    int hi = end - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = compare(keys[mid], key);
      if (c == 0) {
        return mid;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < end && compare(keys[lo], key) == 0 ? lo : -lo - 1;
  }

  byte[] get(byte[] key) {
    int at = find(key);
    return at < 0 ? null : values[at];
  }

  /** Puts {@code key}; returns the value it replaces, or null. */
  byte[] put(byte[] key, byte[] value) {
    int at = find(key);
    if (at >= 0) {
      byte[] old = values[at];
      values[at] = value;
      if (old == null) {
        keys[at] = key;
        live++;
      }
      return old;
    }
    int to = -at - 1;
    if (end == keys.length) {
      makeRoom();
      to = -find(key) - 1;
    }
    System.arraycopy(keys, to, keys, to + 1, end - to);
    System.arraycopy(values, to, values, to + 1, end - to);
    keys[to] = key;
    values[to] = value;
    end++;
    live++;
    return null;
  }

  /** Deletes {@code key}; returns its value, or null. */
  byte[] remove(byte[] key) {
    int at = find(key);
    if (at < 0 || values[at] == null) {
      return null;
    }
    byte[] old = values[at];
    values[at] = null;
    live--;
    while (start < end && values[start] == null) {
      keys[start++] = null;
    }
    while (end > start && values[end - 1] == null) {
      keys[--end] = null;
    }
    if (end - start > 2 * live + 16) {
      squeeze(keys.length);
    }
    return old;
  }

  /** Room for one more entry at the end: the live entries moved to the front, of an array twice as long if need be. */
  private void makeRoom() {
    squeeze(live * 2 + 1 > keys.length ? keys.length * 2 : keys.length);
  }

  /** The live entries moved to the front of arrays of {@code capacity}. */
  private void squeeze(int capacity) {
    byte[][] k = capacity == keys.length ? keys : new byte[capacity][];
    byte[][] v = capacity == values.length ? values : new byte[capacity][];
    int n = 0;
    for (int i = start; i < end; i++) {
      if (values[i] != null) {
        k[n] = keys[i];
        v[n++] = values[i];
      }
    }
    Arrays.fill(k, n, Math.max(n, end), null);
    Arrays.fill(v, n, Math.max(n, end), null);
    keys = k;
    values = v;
    start = 0;
    end = n;
  }

  /**
   * Hands the entries from {@code from} on (from the first when null; else it begins with the head) that start with
   * {@code prefix} to {@code visitor} until it answers false; returns false when it did.
   */
  boolean scanFrom(byte[] from, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    int at = from == null ? start : find(from);
    for (int i = at < 0 ? -at - 1 : at; i < end; i++) {
      byte[] key = keys[i];
      if (values[i] == null) {
        continue;
      }
      if (prefix.length > headLength && (key.length < prefix.length
          || !Arrays.equals(key, headLength, prefix.length, prefix, headLength, prefix.length))) {
        return true;
      }
      if (!visitor.test(key, values[i])) {
        return false;
      }
    }
    return true;
  }

  void forEach(BiConsumer<byte[], byte[]> action) {
    for (int i = start; i < end; i++) {
      if (values[i] != null) {
        action.accept(keys[i], values[i]);
      }
    }
  }
}
