package io.freshet.exec.aggregate;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The changelog an aggregation emits in update mode: for each group changed in the micro-batch, the row it had
 * before (-U, or -D when all its rows were taken back) and the row it has now (+U, or +I for a new group). The
 * earlier row is built when the micro-batch first touches a group, before its rows are folded in, so a group
 * changed by many batches costs one earlier row. Whether a group had a row is its row count, so a group
 * loaded from RocksDB or restored from a checkpoint counts as known. For SELECT DISTINCT ({@code firstOnly}) a
 * group's row never changes: only the groups new in the micro-batch are emitted, as plain inserts without a row
 * kind, and no earlier row is built.
 */
final class AggregateChangelog implements AutoCloseable {
  private final GroupedAggregation grouped;
  private final AggregateOutput output;
  private final BufferAllocator allocator;
  /** Per group: the micro-batch that last touched it, and whether it had a row before that micro-batch. */
  private int[] touchedIn = new int[16];
  private boolean[] hadRow = new boolean[16];
  private int batch = 1;
  private int[] touched = new int[16];
  private int touchedCount;
  /** The earlier rows of the touched groups that had one, and those groups in the same order. */
  private final List<Batch> before = new ArrayList<>();
  private int[] beforeGroups = new int[16];
  private int beforeCount;
  private final boolean firstOnly;

  AggregateChangelog(GroupedAggregation grouped, AggregateOutput output, BufferAllocator allocator,
      boolean firstOnly) {
    this.grouped = grouped;
    this.output = output;
    this.allocator = allocator;
    this.firstOnly = firstOnly;
  }

  /**
   * The rows of a batch found the groups {@code groups[0..n)} and are about to be folded in: remembers the groups
   * not touched before in this micro-batch and the rows they had.
   */
  void touch(int[] groups, int n) {
    int size = grouped.size();
    if (touchedIn.length < size) {
      int capacity = Math.max(size, touchedIn.length * 2);
      touchedIn = Arrays.copyOf(touchedIn, capacity);
      hadRow = Arrays.copyOf(hadRow, capacity);
    }
    int first = beforeCount;
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (touchedIn[g] == batch) {
        continue;
      }
      touchedIn[g] = batch;
      touched = GroupedAggregation.put(touched, touchedCount++, g);
      hadRow[g] = grouped.rows(g) > 0;
      if (hadRow[g] && !firstOnly) {
        beforeGroups = GroupedAggregation.put(beforeGroups, beforeCount++, g);
      }
    }
    if (beforeCount > first) {
      output.emit(Arrays.copyOfRange(beforeGroups, first, beforeCount), before);
    }
  }

  /**
   * Adds the micro-batch's changelog to {@code out}: every earlier row taken back, then every new row, and
   * returns the groups left without rows (ascending), which the caller removes.
   */
  int[] finish(List<Batch> out) {
    try {
      int at = 0;
      for (Batch old : before) {
        int[] kinds = new int[old.rowCount()];
        for (int i = 0; i < kinds.length; i++) {
          kinds[i] = grouped.rows(beforeGroups[at++]) > 0 ? RowKind.UPDATE_BEFORE : RowKind.DELETE;
        }
        out.add(RowKind.attach(old, kinds, allocator));
      }
      int[] list = Arrays.copyOf(touched, touchedCount);
      Arrays.sort(list);
      int[] alive = new int[list.length];
      int[] gone = new int[list.length];
      int a = 0;
      int d = 0;
      for (int g : list) {
        if (firstOnly && hadRow[g]) {
          continue;
        }
        if (grouped.rows(g) > 0) {
          alive[a++] = g;
        } else {
          gone[d++] = g;
        }
      }
      if (a > 0) {
        List<Batch> now = new ArrayList<>(1);
        output.emit(Arrays.copyOf(alive, a), now);
        if (firstOnly) {
          out.add(now.get(0));
          return Arrays.copyOf(gone, d);
        }
        int[] kinds = new int[a];
        for (int i = 0; i < a; i++) {
          kinds[i] = hadRow[alive[i]] ? RowKind.UPDATE_AFTER : RowKind.INSERT;
        }
        try (Batch rows = now.get(0)) {
          out.add(RowKind.attach(rows, kinds, allocator));
        }
      }
      return Arrays.copyOf(gone, d);
    } finally {
      reset();
    }
  }

  /** Forgets the micro-batch: the next one starts with no group touched. */
  void reset() {
    before.forEach(Batch::close);
    before.clear();
    beforeCount = 0;
    touchedCount = 0;
    batch++;
  }

  @Override
  public void close() {
    reset();
  }
}
