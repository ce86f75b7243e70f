package io.freshet.exec.join;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The entries of a {@link HeapJoinState} that are not rows: index entries {@code [tag][number][row key]} (a row's
 * {@code until} or time, kept in order of it so that the watermark takes them from the front) and single entries
 * such as {@code [0]}. They are held per tag in buckets of the 8 bytes after the tag (zeros past a shorter key), in a
 * map of those numbers; a bucket is a list its puts are appended to, sorted (and rid of older puts of an equal key)
 * only when it is read, which for an index is when the watermark passes it. Many rows share a number (a window's
 * end, or a millisecond), so the map holds few numbers and the last bucket used is found without it.
 */
final class OrderedIndex {
  private static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

  @SuppressWarnings("unchecked")
  private final TreeMap<Long, Bucket>[] tags = new TreeMap[256];
  private Bucket last;
  private long bytes;

  /** The bucket number of {@code key}: its 8 bytes after the tag, as a number that sorts as they do. */
  private static long number(byte[] key) {
    long v = 0;
    for (int i = 1; i <= 8; i++) {
      v = (v << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return v ^ Long.MIN_VALUE;
  }

  private Bucket bucket(byte[] key, boolean add) {
    int tag = key[0] & 0xFF;
    long number = number(key);
    if (last != null && last.tag == tag && last.number == number) {
      return last;
    }
    TreeMap<Long, Bucket> buckets = tags[tag];
    if (buckets == null) {
      if (!add) {
        return null;
      }
      buckets = tags[tag] = new TreeMap<>();
    }
    Bucket bucket = buckets.get(number);
    if (bucket == null && add) {
      bucket = new Bucket(tag, number);
      buckets.put(number, bucket);
    }
    if (bucket != null) {
      last = bucket;
    }
    return bucket;
  }

  void put(byte[] key, byte[] value) {
    bucket(key, true).add(key, value);
    bytes += key.length + value.length + 48;
  }

  byte[] get(byte[] key) {
    Bucket bucket = bucket(key, false);
    if (bucket == null) {
      return null;
    }
    int at = bucket.find(key);
    return at < 0 ? null : bucket.values[at];
  }

  void remove(byte[] key) {
    Bucket bucket = bucket(key, false);
    if (bucket != null) {
      int at = bucket.find(key);
      if (at >= 0) {
        removeRange(bucket, at, at + 1);
      }
    }
  }

  /** Deletes the keys of tag {@code tag} in {@code [from, to)}. */
  void removeRange(int tag, byte[] from, byte[] to) {
    TreeMap<Long, Bucket> buckets = tags[tag];
    if (buckets == null || number(from) > number(to)) {
      return;
    }
    for (Bucket bucket : buckets.subMap(number(from), true, number(to), true).values().toArray(new Bucket[0])) {
      int lo = bucket.lowerBound(from);
      removeRange(bucket, lo, Math.max(lo, bucket.lowerBound(to)));
    }
  }

  /**
   * Deletes the keys of tag {@code tag} whose number is in {@code [from, below)}, handing each to {@code taken}: in
   * order of number, those of one number in the order they were put (no bucket is sorted).
   */
  void takeBelow(int tag, long from, long below, Consumer<byte[]> taken) {
    TreeMap<Long, Bucket> buckets = tags[tag];
    if (buckets == null || from >= below) {
      return;
    }
    Map<Long, Bucket> range = buckets.subMap(from, true, below, false);
    for (Bucket bucket : range.values()) {
      for (int i = bucket.start; i < bucket.size; i++) {
        bytes -= bucket.keys[i].length + bucket.values[i].length + 48;
        taken.accept(bucket.keys[i]);
      }
      if (last == bucket) {
        last = null;
      }
    }
    range.clear();
  }

  private void removeRange(Bucket bucket, int lo, int hi) {
    for (int i = lo; i < hi; i++) {
      bytes -= bucket.keys[i].length + bucket.values[i].length + 48;
    }
    bucket.remove(lo, hi);
    if (bucket.size == 0) {
      tags[bucket.tag].remove(bucket.number);
      if (last == bucket) {
        last = null;
      }
    }
  }

  /**
   * Hands the entries of tag {@code tag} from {@code from} on that start with {@code prefix} to {@code visitor}
   * until it answers false.
   */
  void scanFrom(byte[] from, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    TreeMap<Long, Bucket> buckets = tags[from[0] & 0xFF];
    if (buckets == null) {
      return;
    }
    for (Map.Entry<Long, Bucket> e : buckets.tailMap(number(from), true).entrySet()) {
      Bucket bucket = e.getValue();
      for (int i = bucket.lowerBound(from); i < bucket.size; i++) {
        byte[] key = bucket.keys[i];
        if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)
            || !visitor.test(key, bucket.values[i])) {
          return;
        }
      }
    }
  }

  long bytes() {
    return bytes;
  }

  void clear() {
    Arrays.fill(tags, null);
    last = null;
    bytes = 0;
  }

  /**
   * The entries of one tag and number, appended, sorted when read: {@code keys[start, size)}; those taken from the
   * front (as the watermark passes them, one by one) only move {@code start}.
   */
  private final class Bucket {
    final int tag;
    final long number;
    byte[][] keys = new byte[8][];
    byte[][] values = new byte[8][];
    int start;
    int size;
    boolean sorted = true;
    /** Whether every value is the same array (an index's empty value), so that the keys sort alone. */
    boolean oneValue = true;

    Bucket(int tag, long number) {
      this.tag = tag;
      this.number = number;
    }

    void add(byte[] key, byte[] value) {
      if (size > start) {
        int c = Arrays.compareUnsigned(keys[size - 1], key);
        if (c == 0) {
          bytes -= keys[size - 1].length + values[size - 1].length + 48;
          keys[size - 1] = key;
          values[size - 1] = value;
          oneValue &= size - 1 == start || value == values[start];
          return;
        }
        sorted &= c < 0;
        oneValue &= value == values[start];
      }
      if (size == keys.length) {
        int n = size - start;
        if (start > 0 && n * 2 <= keys.length) {
          System.arraycopy(keys, start, keys, 0, n);
          System.arraycopy(values, start, values, 0, n);
          Arrays.fill(keys, n, size, null);
          Arrays.fill(values, n, size, null);
          start = 0;
          size = n;
        } else {
          keys = Arrays.copyOf(keys, size * 2);
          values = Arrays.copyOf(values, size * 2);
        }
      }
      keys[size] = key;
      values[size++] = value;
    }

    /** Sorts the entries by key, keeping of equal keys the one put last. */
    private void sort() {
      if (sorted) {
        return;
      }
      sorted = true;
      if (oneValue) {
        // Stable: of equal keys, the one put last comes last, and is the one kept.
        Arrays.sort(keys, start, size, ORDER);
        int n = start;
        for (int i = start; i < size; i++) {
          if (n > start && Arrays.equals(keys[n - 1], keys[i])) {
            bytes -= keys[i].length + values[start].length + 48;
            n--;
          }
          keys[n++] = keys[i];
        }
        Arrays.fill(keys, n, size, null);
        Arrays.fill(values, n, size, null);
        size = n;
        return;
      }
      Integer[] order = new Integer[size - start];
      for (int i = start; i < size; i++) {
        order[i - start] = i;
      }
      // Stable: of equal keys, the one put last comes last.
      Arrays.sort(order, (a, b) -> ORDER.compare(keys[a], keys[b]));
      byte[][] k = new byte[keys.length][];
      byte[][] v = new byte[keys.length][];
      int n = 0;
      for (Integer at : order) {
        if (n > 0 && Arrays.equals(k[n - 1], keys[at])) {
          bytes -= k[n - 1].length + v[n - 1].length + 48;
          n--;
        }
        k[n] = keys[at];
        v[n++] = values[at];
      }
      keys = k;
      values = v;
      start = 0;
      size = n;
    }

    /** The index of the first key not before {@code key}. */
    int lowerBound(byte[] key) {
      sort();
      int lo = start;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (Arrays.compareUnsigned(keys[mid], key) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    int find(byte[] key) {
      int at = lowerBound(key);
      return at < size && Arrays.equals(keys[at], key) ? at : -1;
    }

    void remove(int lo, int hi) {
      if (lo == start) {
        Arrays.fill(keys, lo, hi, null);
        Arrays.fill(values, lo, hi, null);
        start = hi;
      } else {
        System.arraycopy(keys, hi, keys, lo, size - hi);
        System.arraycopy(values, hi, values, lo, size - hi);
        Arrays.fill(keys, size - (hi - lo), size, null);
        Arrays.fill(values, size - (hi - lo), size, null);
        size -= hi - lo;
      }
      if (start == size) {
        start = 0;
        size = 0;
        sorted = true;
        oneValue = true;
      }
    }
  }
}
