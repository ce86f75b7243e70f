package io.freshet.exec.aggregate;

import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * Maps composite keys to dense group ids 0..size-1 with open addressing over hashes computed column by column.
 * Keys live in primitive arrays ({@link KeyColumn}), so a million groups are a few arrays, not a million objects.
 *
 * <p>Each slot is one long: 32 bits of the key's hash (its tag) above the group id + 1 (0 is an empty slot). A
 * probe rejects other keys by their tag without reading the key columns, and growing the table re-places slots by
 * their tags without reading the keys either.
 */
public final class KeyTable {
  /**
   * The table doubles once more than this many quarters of its slots are in use: half, as at three quarters the
   * longer probes made a table of 10 000 keys about a fifth slower.
   */
  private static final int LOAD_QUARTERS = 2;
  private static final long GROUP_BITS = 0xFFFF_FFFFL;

  private final TypeKind[] types;
  private final KeyColumn[] columns;
  private int size;
  private long[] slots = new long[32];
  private int mask = 31;
  private long[] hashes = new long[0];
  private int[] tags = new int[0];

  public KeyTable(TypeKind[] types) {
    this.types = types.clone();
    this.columns = new KeyColumn[types.length];
    for (int i = 0; i < types.length; i++) {
      columns[i] = KeyColumn.of(types[i]);
    }
  }

  public int size() {
    return size;
  }

  public TypeKind[] types() {
    return types.clone();
  }

  /** The 32 bits of a mixed hash kept in a slot; its low bits choose the slot. */
  private static int tag(long mixedHash) {
    return (int) (mixedHash ^ (mixedHash >>> 32));
  }

  /**
   * Finds the group of each of the rows {@code [0, n)} of the key vectors (one per key column), adding groups for
   * keys not seen before; {@code groups[i]} receives the id of row i.
   */
  public void findOrInsert(FieldVector[] keys, int n, int[] groups) {
    for (int c = 0; c < columns.length; c++) {
      columns[c].bind(keys[c]);
    }
    if (columns.length == 1 && columns[0] instanceof KeyColumn.Fixed a && a.plainLongs()) {
      findOrInsertLongs(a, null, n, groups);
      return;
    }
    if (columns.length == 2 && columns[0] instanceof KeyColumn.Fixed a && a.plainLongs()
        && columns[1] instanceof KeyColumn.Fixed b && b.plainLongs()) {
      findOrInsertLongs(a, b, n, groups);
      return;
    }
    if (hashes.length < n) {
      hashes = new long[Math.max(n, 16)];
    }
    if (columns.length == 0) {
      Arrays.fill(hashes, 0, n, 0L);
    }
    for (int c = 0; c < columns.length; c++) {
      columns[c].hash(keys[c], n, hashes, c == 0);
    }
    for (int i = 0; i < n; i++) {
      groups[i] = findOrInsert(i, tag(KeyColumn.mix(hashes[i])));
    }
  }

  /** A reused array for the tags of {@code n} rows. */
  private int[] tags(int n) {
    if (tags.length < n) {
      tags = new int[Math.max(n, 16)];
    }
    return tags;
  }

  /**
   * BIGINT (or TIMESTAMP) keys without nulls in the batch, one ({@code b} null) or two (the common window key: window
   * end and a BIGINT): hashes the rows in one pass, then probes comparing the key arrays directly.
   */
  private void findOrInsertLongs(KeyColumn.Fixed a, KeyColumn.Fixed b, int n, int[] groups) {
    long dataA = a.data;
    long dataB = b == null ? 0 : b.data;
    int[] tags = tags(n);
    if (b == null) {
      for (int i = 0; i < n; i++) {
        tags[i] = tag(KeyColumn.mix(KeyColumn.combine(0, MemoryUtil.getLong(dataA + ((long) i << 3)))));
      }
    } else {
      for (int i = 0; i < n; i++) {
        long h = KeyColumn.combine(0, MemoryUtil.getLong(dataA + ((long) i << 3)));
        tags[i] = tag(KeyColumn.mix(KeyColumn.combine(h, MemoryUtil.getLong(dataB + ((long) i << 3)))));
      }
    }
    for (int i = 0; i < n; i++) {
      long x = MemoryUtil.getLong(dataA + ((long) i << 3));
      long y = b == null ? 0 : MemoryUtil.getLong(dataB + ((long) i << 3));
      int tag = tags[i];
      long tagBits = (long) tag << 32;
      int slot = tag & mask;
      int found = -1;
      while (true) {
        long entry = slots[slot];
        if (entry == 0) {
          break;
        }
        if ((entry & ~GROUP_BITS) == tagBits) {
          int g = (int) entry - 1;
          if (a.values[g] == x && !a.isNull(g) && (b == null || b.values[g] == y && !b.isNull(g))) {
            found = g;
            break;
          }
        }
        slot = (slot + 1) & mask;
      }
      groups[i] = found >= 0 ? found : insert(i, tag, slot);
    }
  }

  /** The group of row {@code row}, or -1 when its key is not in the table. */
  public int find(FieldVector[] keys, int row) {
    for (int c = 0; c < columns.length; c++) {
      columns[c].bind(keys[c]);
    }
    long h = 0;
    for (KeyColumn column : columns) {
      h = KeyColumn.combine(h, column.valueHash(row));
    }
    int tag = tag(KeyColumn.mix(h));
    int slot = probe(row, tag);
    return (int) slots[slot] - 1;
  }

  /** The slot of the key of {@code row} of the bound columns, whose tag is {@code tag}, or the empty slot for it. */
  private int probe(int row, int tag) {
    long tagBits = (long) tag << 32;
    int slot = tag & mask;
    while (true) {
      long entry = slots[slot];
      if (entry == 0 || (entry & ~GROUP_BITS) == tagBits && equalsRow((int) entry - 1, row)) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Finds or adds the key of {@code row} of the bound columns, whose tag is {@code tag}. */
  private int findOrInsert(int row, int tag) {
    int slot = probe(row, tag);
    long entry = slots[slot];
    return entry != 0 ? (int) entry - 1 : insert(row, tag, slot);
  }

  private int insert(int row, int tag, int slot) {
    int g = size++;
    for (KeyColumn column : columns) {
      column.append(row);
    }
    slots[slot] = (long) tag << 32 | (g + 1);
    if ((long) size * 4 > (long) slots.length * LOAD_QUARTERS) {
      rehash(slots.length * 2);
    }
    return g;
  }

  private boolean equalsRow(int g, int row) {
    for (KeyColumn column : columns) {
      if (!column.equalsRow(g, row)) {
        return false;
      }
    }
    return true;
  }

  private void rehash(int capacity) {
    long[] old = slots;
    slots = new long[capacity];
    mask = capacity - 1;
    for (long entry : old) {
      if (entry != 0) {
        place(entry);
      }
    }
  }

  /** Puts a slot entry into the first free slot from the one its tag chooses. */
  private void place(long entry) {
    int slot = (int) (entry >>> 32) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = entry;
  }

  /** The value of fixed-width key column {@code column} for {@code group} (meaningless when null). */
  public long longValue(int column, int group) {
    return ((KeyColumn.Fixed) columns[column]).value(group);
  }

  public boolean isNull(int column, int group) {
    return columns[column].isNull(group);
  }

  /** Key column {@code column} of {@code groups[0..n)} as a new vector. */
  public FieldVector toVector(int column, int[] groups, int n, BufferAllocator allocator) {
    return columns[column].toVector(groups, n, allocator);
  }

  /** Keeps only groups {@code survivors[0..count)} (ascending), renumbering them 0..count-1 in that order. */
  public void compact(int[] survivors, int count) {
    for (KeyColumn c : columns) {
      c.compact(survivors, count);
    }
    int[] renumbered = new int[size];
    for (int i = 0; i < count; i++) {
      renumbered[survivors[i]] = i + 1;
    }
    long[] old = slots;
    int capacity = 32;
    while ((long) count * 4 > (long) capacity * LOAD_QUARTERS / 2) {
      capacity <<= 1;
    }
    slots = new long[capacity];
    mask = capacity - 1;
    for (long entry : old) {
      if (entry != 0) {
        int id = renumbered[(int) entry - 1];
        if (id != 0) {
          place((entry & ~GROUP_BITS) | id);
        }
      }
    }
    size = count;
  }

  /** Heap bytes held by keys and slots. */
  public long bytes() {
    long total = slots.length * 8L;
    for (KeyColumn c : columns) {
      total += c.bytes();
    }
    return total;
  }
}
