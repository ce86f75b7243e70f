package io.freshet.exec.aggregate;

import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * Maps composite keys to dense group ids 0..size-1 with open addressing over hashes computed column by column.
 * Keys live in primitive arrays ({@link KeyColumn}), so a million groups are a few arrays, not a million objects.
 */
public final class KeyTable {
  private final TypeKind[] types;
  private final KeyColumn[] columns;
  private long[] groupHashes = new long[16];
  private int size;
  private int[] slots = new int[32];
  private int mask = 31;
  private long[] hashes = new long[0];

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

  /**
   * Finds the group of each of the rows {@code [0, n)} of the key vectors (one per key column), adding groups for
   * keys not seen before; {@code groups[i]} receives the id of row i.
   */
  public void findOrInsert(FieldVector[] keys, int n, int[] groups) {
    if (hashes.length < n) {
      hashes = new long[Math.max(n, 16)];
    }
    if (columns.length == 0) {
      Arrays.fill(hashes, 0, n, KeyColumn.mix(0));
    }
    for (int c = 0; c < columns.length; c++) {
      columns[c].hash(keys[c], n, hashes, c == 0);
    }
    if (columns.length == 2 && columns[0] instanceof KeyColumn.Fixed a && a.plainLongs()
        && columns[1] instanceof KeyColumn.Fixed b && b.plainLongs()) {
      findOrInsertTwoLongs(a, b, n, groups);
      return;
    }
    for (int i = 0; i < n; i++) {
      groups[i] = findOrInsert(i, KeyColumn.mix(hashes[i]));
    }
  }

  /** The common window key (window end, a BIGINT key) without nulls: compares the arrays directly. */
  private void findOrInsertTwoLongs(KeyColumn.Fixed a, KeyColumn.Fixed b, int n, int[] groups) {
    long dataA = a.data;
    long dataB = b.data;
    for (int i = 0; i < n; i++) {
      long h = KeyColumn.mix(hashes[i]);
      long x = MemoryUtil.getLong(dataA + ((long) i << 3));
      long y = MemoryUtil.getLong(dataB + ((long) i << 3));
      int slot = (int) (h ^ (h >>> 32)) & mask;
      int found = -1;
      while (true) {
        int g = slots[slot] - 1;
        if (g < 0) {
          break;
        }
        if (groupHashes[g] == h && a.values[g] == x && b.values[g] == y && !a.nulls[g] && !b.nulls[g]) {
          found = g;
          break;
        }
        slot = (slot + 1) & mask;
      }
      groups[i] = found >= 0 ? found : insert(i, h, slot);
    }
  }

  /** The group of row {@code row}, or -1 when its key is not in the table. */
  public int find(FieldVector[] keys, int row) {
    for (int c = 0; c < columns.length; c++) {
      columns[c].bind(keys[c]);
    }
    long h = rowHash(row);
    int slot = (int) (h ^ (h >>> 32)) & mask;
    while (true) {
      int g = slots[slot] - 1;
      if (g < 0) {
        return -1;
      }
      if (groupHashes[g] == h && equalsRow(g, row)) {
        return g;
      }
      slot = (slot + 1) & mask;
    }
  }

  private long rowHash(int row) {
    long h = 0;
    for (KeyColumn column : columns) {
      h = KeyColumn.combine(h, column.valueHash(row));
    }
    return KeyColumn.mix(h);
  }

  /** Finds or adds the key of {@code row} of the bound columns, whose hash is {@code h}. */
  private int findOrInsert(int row, long h) {
    int slot = (int) (h ^ (h >>> 32)) & mask;
    while (true) {
      int g = slots[slot] - 1;
      if (g < 0) {
        break;
      }
      if (groupHashes[g] == h && equalsRow(g, row)) {
        return g;
      }
      slot = (slot + 1) & mask;
    }
    return insert(row, h, slot);
  }

  private int insert(int row, long h, int slot) {
    int g = size++;
    if (g == groupHashes.length) {
      groupHashes = Arrays.copyOf(groupHashes, g * 2);
    }
    groupHashes[g] = h;
    for (KeyColumn column : columns) {
      column.append(row);
    }
    slots[slot] = g + 1;
    if (size * 2 > slots.length) {
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
    slots = new int[capacity];
    mask = capacity - 1;
    for (int g = 0; g < size; g++) {
      long h = groupHashes[g];
      int slot = (int) (h ^ (h >>> 32)) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = g + 1;
    }
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
    long[] h = new long[Math.max(16, count * 2)];
    for (int i = 0; i < count; i++) {
      h[i] = groupHashes[survivors[i]];
    }
    groupHashes = h;
    size = count;
    int capacity = 32;
    while (capacity < count * 2 + 2) {
      capacity <<= 1;
    }
    rehash(capacity);
  }

  /** Heap bytes held by keys, hashes and slots. */
  public long bytes() {
    long total = groupHashes.length * 8L + slots.length * 4L;
    for (KeyColumn c : columns) {
      total += c.bytes();
    }
    return total;
  }
}
