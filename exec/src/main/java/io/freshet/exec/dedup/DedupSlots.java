package io.freshet.exec.dedup;

import io.freshet.exec.aggregate.KeyTable;
import io.freshet.exec.types.TypeKind;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * The keys a {@link DeduplicateOperator} holds on the heap, each a slot: its key in a {@link KeyTable} (found for a
 * whole batch column by column), what it holds ({@link #PENDING}, {@link #EMITTED} or {@link #KEPT}), the event time
 * of its row and the row itself, encoded as bytes ({@link DedupRowCodec}). It remembers the slots changed since the
 * last checkpoint and the pending ones, which the watermark makes due. With the memory state store it holds every
 * key; with RocksDB only those of the micro-batch in progress and the pending ones ({@link KeyValueDedup}).
 */
final class DedupSlots {
  /** A key found but holding nothing yet. */
  static final byte NONE = 0;
  /** Keep-first: the earliest row so far, waiting for the watermark to pass its time. */
  static final byte PENDING = 1;
  /** Keep-first: the key's row was emitted; only this marker is left, and later rows are dropped. */
  static final byte EMITTED = 2;
  /** Keep-last: the latest row so far, emitted. */
  static final byte KEPT = 3;

  private final TypeKind[] keyTypes;
  private KeyTable keys;
  private byte[] status;
  private long[] times;
  private byte[][] rows;
  private long rowBytes;
  /** Per slot, its place in {@link #pending} or -1. */
  private int[] pendingAt;
  private int[] pending;
  private int pendingCount;
  private boolean[] dirty;
  private int[] dirtyList;
  private int dirtyCount;

  DedupSlots(TypeKind[] keyTypes) {
    this.keyTypes = keyTypes.clone();
    clear();
  }

  TypeKind[] keyTypes() {
    return keyTypes.clone();
  }

  /** The number of slots, ids {@code 0..size-1}. */
  int size() {
    return keys.size();
  }

  /** Finds the slot of each of the rows {@code [0, n)} of {@code keyVectors}, adding empty slots for new keys. */
  void find(FieldVector[] keyVectors, int n, int[] slots) {
    keys.findOrInsert(keyVectors, n, slots);
    int size = keys.size();
    if (status.length < size) {
      int capacity = Math.max(size, status.length * 2);
      status = Arrays.copyOf(status, capacity);
      times = Arrays.copyOf(times, capacity);
      rows = Arrays.copyOf(rows, capacity);
      dirty = Arrays.copyOf(dirty, capacity);
      int old = pendingAt.length;
      pendingAt = Arrays.copyOf(pendingAt, capacity);
      Arrays.fill(pendingAt, old, capacity, -1);
    }
  }

  byte status(int slot) {
    return status[slot];
  }

  long time(int slot) {
    return times[slot];
  }

  /** The encoded row of a pending or kept slot, or null. */
  byte[] row(int slot) {
    return rows[slot];
  }

  /** Sets what {@code slot} holds ({@code row} null for a marker), as changed since the checkpoint. */
  void set(int slot, byte newStatus, long time, byte[] row) {
    load(slot, newStatus, time, row);
    if (!dirty[slot]) {
      dirty[slot] = true;
      dirtyList = put(dirtyList, dirtyCount++, slot);
    }
  }

  /** Sets what {@code slot} holds as the checkpoint holds it (restored, or read from RocksDB): not changed. */
  void load(int slot, byte newStatus, long time, byte[] row) {
    if (status[slot] == PENDING && newStatus != PENDING) {
      int at = pendingAt[slot];
      int last = pending[--pendingCount];
      pending[at] = last;
      pendingAt[last] = at;
      pendingAt[slot] = -1;
    } else if (status[slot] != PENDING && newStatus == PENDING) {
      pendingAt[slot] = pendingCount;
      pending = put(pending, pendingCount++, slot);
    }
    status[slot] = newStatus;
    times[slot] = time;
    rowBytes += (row == null ? 0 : row.length) - (rows[slot] == null ? 0 : rows[slot].length);
    rows[slot] = row;
  }

  /** The pending slots whose time the watermark has reached, in the order of their times (then of their slots). */
  int[] due(long watermark) {
    int n = 0;
    int[] found = new int[pendingCount];
    for (int i = 0; i < pendingCount; i++) {
      if (times[pending[i]] <= watermark) {
        found[n++] = pending[i];
      }
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = found[i];
    }
    Arrays.sort(boxed, (a, b) -> times[a] != times[b] ? Long.compare(times[a], times[b]) : Integer.compare(a, b));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = boxed[i];
    }
    return out;
  }

  int pendingCount() {
    return pendingCount;
  }

  /** The slots changed since the last checkpoint, in the order they first changed. */
  int[] changed() {
    return Arrays.copyOf(dirtyList, dirtyCount);
  }

  /** Every slot that holds something. */
  int[] held() {
    int[] out = new int[size()];
    int n = 0;
    for (int s = 0; s < size(); s++) {
      if (status[s] != NONE) {
        out[n++] = s;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** A checkpoint holds every slot as it is now. */
  void committed() {
    for (int i = 0; i < dirtyCount; i++) {
      dirty[dirtyList[i]] = false;
    }
    dirtyCount = 0;
  }

  /** Keeps only the pending slots (RocksDB holds the others), renumbered in order; nothing is changed after it. */
  void keepPending() {
    committed();
    int[] survivors = new int[pendingCount];
    int n = 0;
    for (int s = 0; s < size(); s++) {
      if (status[s] == PENDING) {
        survivors[n++] = s;
      }
    }
    if (n == size()) {
      return;
    }
    byte[][] keptRows = new byte[Math.max(16, n)][];
    long[] keptTimes = new long[keptRows.length];
    rowBytes = 0;
    for (int i = 0; i < n; i++) {
      keptRows[i] = rows[survivors[i]];
      keptTimes[i] = times[survivors[i]];
      rowBytes += keptRows[i].length;
    }
    keys.compact(survivors, n);
    rows = keptRows;
    times = keptTimes;
    status = new byte[keptRows.length];
    Arrays.fill(status, 0, n, PENDING);
    dirty = new boolean[keptRows.length];
    pendingAt = new int[keptRows.length];
    Arrays.fill(pendingAt, -1);
    pending = new int[keptRows.length];
    pendingCount = n;
    for (int i = 0; i < n; i++) {
      pending[i] = i;
      pendingAt[i] = i;
    }
  }

  /** Key column {@code column} of {@code slots} as a new vector. */
  FieldVector keyVector(int column, int[] slots, BufferAllocator allocator) {
    return keys.toVector(column, slots, slots.length, allocator);
  }

  /** Heap bytes: the keys, the arrays per slot and the encoded rows. */
  long bytes() {
    return keys.bytes() + (long) status.length * (1 + 8 + 8 + 4 + 4 + 1) + rowBytes;
  }

  /** Forgets every slot. */
  void clear() {
    keys = new KeyTable(keyTypes);
    status = new byte[16];
    times = new long[16];
    rows = new byte[16][];
    rowBytes = 0;
    pendingAt = new int[16];
    Arrays.fill(pendingAt, -1);
    pending = new int[16];
    pendingCount = 0;
    dirty = new boolean[16];
    dirtyList = new int[16];
    dirtyCount = 0;
  }

  private static int[] put(int[] array, int at, int value) {
    int[] a = at == array.length ? Arrays.copyOf(array, array.length * 2) : array;
    a[at] = value;
    return a;
  }
}
