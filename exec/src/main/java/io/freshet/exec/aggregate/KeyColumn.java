package io.freshet.exec.aggregate;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One column of the keys held by a {@link KeyTable}, stored in primitive arrays indexed by group id: fixed-width
 * values as longs, strings as bytes in one growing heap. Hashes and comparisons read Arrow buffers directly.
 */
public abstract sealed class KeyColumn permits KeyColumn.Fixed, KeyColumn.Strings {
  static final long NULL_HASH = 0x5bd1e9955bd1e995L;
  /** Whether each group's key is null: allocated once the first null key arrives (most keys are never null). */
  protected boolean[] nulls;
  protected int size;

  public static KeyColumn of(TypeKind type) {
    return type == TypeKind.VARCHAR ? new Strings() : new Fixed(type);
  }

  public static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Folds a column's value into a row's hash; {@link KeyTable} mixes the result once per row. */
  static long combine(long hash, long value) {
    return (hash ^ value) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
  }

  /**
   * Folds this column's value of rows {@code [0, n)} into {@code hashes}; the first column of a key starts them
   * ({@code first}), so that nobody needs to clear the array.
   */
  abstract void hash(FieldVector v, int n, long[] hashes, boolean first);

  /** The vector that {@link #equalsRow} and {@link #append} read, with its buffer addresses cached. */
  protected long data;
  protected long validity;
  protected boolean nullable;

  /** Reads rows of {@code v} from now on; call before {@link #equalsRow}, {@link #append} and {@link #valueHash}. */
  public void bind(FieldVector v) {
    data = Vectors.data(v);
    validity = Vectors.validity(v);
    nullable = v.getNullCount() > 0;
  }

  protected final boolean rowIsNull(int row) {
    return nullable && !Vectors.bit(validity, row);
  }

  /** The value of one row of the bound vector as {@link #hash} folds it. */
  public abstract long valueHash(int row);

  abstract boolean equalsRow(int group, int row);

  /** Appends the value of {@code row} of the bound vector as the key of the next group. */
  abstract void append(int row);

  /** The keys of {@code groups[0..n)} as a new vector. */
  abstract FieldVector toVector(int[] groups, int n, BufferAllocator allocator);

  /** Keeps groups {@code survivors[0..count)}, renumbered 0..count-1 in that order. */
  abstract void compact(int[] survivors, int count);

  abstract long bytes();

  final boolean isNull(int group) {
    return nulls != null && nulls[group];
  }

  /** The capacity after {@code capacity} when full: 1.5 times as many groups. */
  static int grown(int capacity) {
    return capacity + (capacity >> 1);
  }

  /** The capacity of arrays for {@code count} groups kept by a compaction. */
  static int compacted(int count) {
    return Math.max(16, grown(count));
  }

  /** Records whether the key of the group being appended ({@code size}) is null; {@code capacity} groups fit. */
  protected final void appendNull(boolean isNull, int capacity) {
    if (nulls == null) {
      if (!isNull) {
        return;
      }
      nulls = new boolean[capacity];
    } else if (nulls.length < capacity) {
      nulls = Arrays.copyOf(nulls, capacity);
    }
    nulls[size] = isNull;
  }

  /** The null flags of {@code survivors[0..count)} in arrays of {@code capacity}, or none when none is null. */
  protected final boolean[] compactNulls(int[] survivors, int count, int capacity) {
    if (nulls == null) {
      return null;
    }
    boolean[] kept = new boolean[capacity];
    boolean any = false;
    for (int i = 0; i < count; i++) {
      kept[i] = nulls[survivors[i]];
      any |= kept[i];
    }
    return any ? kept : null;
  }

  protected final long nullBytes() {
    return nulls == null ? 0 : nulls.length;
  }

  /** INT, BIGINT, TIMESTAMP, DOUBLE (as bits) and BOOLEAN keys, as longs. */
  static final class Fixed extends KeyColumn {
    private final TypeKind type;
    private final int width;
    long[] values = new long[16];

    Fixed(TypeKind type) {
      this.type = type;
      this.width = type.width();
    }

    long read(int row) {
      return switch (width) {
        case 8 -> MemoryUtil.getLong(data + ((long) row << 3));
        case 4 -> MemoryUtil.getInt(data + ((long) row << 2));
        default -> Vectors.bit(data, row) ? 1 : 0;
      };
    }

    long value(int group) {
      return values[group];
    }

    @Override
    void hash(FieldVector v, int n, long[] hashes, boolean first) {
      bind(v);
      if (width == 8 && !nullable) {
        long d = data;
        if (first) {
          for (int i = 0; i < n; i++) {
            hashes[i] = combine(0, MemoryUtil.getLong(d + ((long) i << 3)));
          }
        } else {
          for (int i = 0; i < n; i++) {
            hashes[i] = combine(hashes[i], MemoryUtil.getLong(d + ((long) i << 3)));
          }
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        hashes[i] = combine(first ? 0 : hashes[i], valueHash(i));
      }
    }

    /** Whether rows of the bound vector are 8-byte values without nulls. */
    boolean plainLongs() {
      return width == 8 && !nullable;
    }

    @Override
    public long valueHash(int row) {
      return rowIsNull(row) ? NULL_HASH : read(row);
    }

    @Override
    boolean equalsRow(int group, int row) {
      if (nullable || isNull(group)) {
        boolean rowNull = rowIsNull(row);
        if (rowNull || isNull(group)) {
          return rowNull && isNull(group);
        }
      }
      return values[group] == (width == 8 ? MemoryUtil.getLong(data + ((long) row << 3)) : read(row));
    }

    @Override
    void append(int row) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grown(size));
      }
      boolean isNull = rowIsNull(row);
      appendNull(isNull, values.length);
      values[size] = isNull ? 0 : read(row);
      size++;
    }

    @Override
    FieldVector toVector(int[] groups, int n, BufferAllocator allocator) {
      FieldVector out = Vectors.allocate(type, n, allocator);
      long data = Vectors.data(out);
      long validity = Vectors.validity(out);
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        if (isNull(g)) {
          continue;
        }
        Vectors.setBit(validity, i);
        switch (width) {
          case 8 -> MemoryUtil.putLong(data + ((long) i << 3), values[g]);
          case 4 -> MemoryUtil.putInt(data + ((long) i << 2), (int) values[g]);
          default -> {
            if (values[g] != 0) {
              Vectors.setBit(data, i);
            }
          }
        }
      }
      out.setValueCount(n);
      return out;
    }

    @Override
    void compact(int[] survivors, int count) {
      long[] v = new long[compacted(count)];
      for (int i = 0; i < count; i++) {
        v[i] = values[survivors[i]];
      }
      nulls = compactNulls(survivors, count, v.length);
      values = v;
      size = count;
    }

    @Override
    long bytes() {
      return values.length * 8L + nullBytes();
    }
  }

  /** VARCHAR keys: UTF-8 bytes in one heap, with start and length per group. */
  static final class Strings extends KeyColumn {
    private byte[] heap = new byte[256];
    private int heapSize;
    private int[] starts = new int[16];
    private int[] lengths = new int[16];

    private long offsets;

    @Override
    public void bind(FieldVector v) {
      super.bind(v);
      offsets = ((VarCharVector) v).getOffsetBufferAddress();
    }

    @Override
    void hash(FieldVector v, int n, long[] hashes, boolean first) {
      bind(v);
      for (int i = 0; i < n; i++) {
        hashes[i] = combine(first ? 0 : hashes[i], valueHash(i));
      }
    }

    static long hashBytes(long address, int length) {
      long h = length;
      int k = 0;
      for (; k + 8 <= length; k += 8) {
        h = (h ^ MemoryUtil.getLong(address + k)) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
      }
      for (; k < length; k++) {
        h = (h ^ (MemoryUtil.getByte(address + k) & 0xFF)) * 0x9E3779B97F4A7C15L;
      }
      return h;
    }

    @Override
    public long valueHash(int row) {
      if (rowIsNull(row)) {
        return NULL_HASH;
      }
      int start = Vectors.stringStart(offsets, row);
      return hashBytes(data + start, Vectors.stringEnd(offsets, row) - start);
    }

    @Override
    boolean equalsRow(int group, int row) {
      boolean rowNull = rowIsNull(row);
      if (rowNull || isNull(group)) {
        return rowNull && isNull(group);
      }
      int start = Vectors.stringStart(offsets, row);
      int length = Vectors.stringEnd(offsets, row) - start;
      if (length != lengths[group]) {
        return false;
      }
      long address = data + start;
      int base = starts[group];
      for (int k = 0; k < length; k++) {
        if (MemoryUtil.getByte(address + k) != heap[base + k]) {
          return false;
        }
      }
      return true;
    }

    @Override
    void append(int row) {
      if (size == starts.length) {
        starts = Arrays.copyOf(starts, grown(size));
        lengths = Arrays.copyOf(lengths, starts.length);
      }
      boolean isNull = rowIsNull(row);
      appendNull(isNull, starts.length);
      int length = 0;
      if (!isNull) {
        int start = Vectors.stringStart(offsets, row);
        length = Vectors.stringEnd(offsets, row) - start;
        ensureHeap(length);
        MemoryUtil.copyFromMemory(data + start, heap, heapSize, length);
      }
      starts[size] = heapSize;
      lengths[size] = length;
      heapSize += length;
      size++;
    }

    private void ensureHeap(int more) {
      if (heapSize + more > heap.length) {
        heap = Arrays.copyOf(heap, Math.max(heap.length * 2, heapSize + more));
      }
    }

    @Override
    FieldVector toVector(int[] groups, int n, BufferAllocator allocator) {
      long total = 0;
      for (int i = 0; i < n; i++) {
        total += lengths[groups[i]];
      }
      VarCharVector out = new VarCharVector("v", allocator);
      out.allocateNew(Math.max(total, 1), Math.max(n, 1));
      long validity = out.getValidityBufferAddress();
      long offsets = out.getOffsetBufferAddress();
      long data = out.getDataBufferAddress();
      int position = 0;
      MemoryUtil.putInt(offsets, 0);
      for (int i = 0; i < n; i++) {
        int g = groups[i];
        if (!isNull(g)) {
          Vectors.setBit(validity, i);
          MemoryUtil.copyToMemory(heap, starts[g], data + position, lengths[g]);
          position += lengths[g];
        }
        MemoryUtil.putInt(offsets + ((long) (i + 1) << 2), position);
      }
      out.setLastSet(n - 1);
      out.setValueCount(n);
      return out;
    }

    @Override
    void compact(int[] survivors, int count) {
      int bytes = 0;
      for (int i = 0; i < count; i++) {
        bytes += lengths[survivors[i]];
      }
      byte[] h = new byte[Math.max(256, bytes * 2)];
      int cap = compacted(count);
      int[] st = new int[cap];
      int[] ln = new int[cap];
      int position = 0;
      for (int i = 0; i < count; i++) {
        int g = survivors[i];
        System.arraycopy(heap, starts[g], h, position, lengths[g]);
        st[i] = position;
        ln[i] = lengths[g];
        position += lengths[g];
      }
      heap = h;
      heapSize = position;
      starts = st;
      lengths = ln;
      nulls = compactNulls(survivors, count, cap);
      size = count;
    }

    @Override
    long bytes() {
      return heap.length + starts.length * 8L + nullBytes();
    }
  }
}
