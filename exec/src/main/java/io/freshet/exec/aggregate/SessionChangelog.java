package io.freshet.exec.aggregate;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The changelog of SESSION windows in update mode: each session a micro-batch created, extended or merged gives
 * its new row (+I, or +U when it had one), and the row it had before is taken back (-U, or -D when it was merged
 * into another). A session's key holds its start and end, so an extended session's new row has a new key, and an
 * update-mode sink deletes the old one. A session's earlier row is built when the micro-batch first touches it,
 * before its aggregates change. Session ids are reused, so what is kept is by touch, not by id alone.
 */
final class SessionChangelog implements AutoCloseable {
  private final BufferAllocator allocator;
  private int batch = 1;
  /** Per session id: the micro-batch that last touched it, whether its row was emitted, its entry below. */
  private int[] touchedIn = new int[16];
  private boolean[] emitted = new boolean[16];
  private int[] entryOf = new int[16];
  private int[] touched = new int[16];
  private int touchedCount;
  /** The sessions whose earlier row is taken back: id, start and end then, and whether it was merged away. */
  private int[] entries = new int[16];
  private long[] entryStarts = new long[16];
  private long[] entryEnds = new long[16];
  private boolean[] entryGone = new boolean[16];
  private int entryCount;
  private int built;
  private final List<Batch> before = new ArrayList<>();

  SessionChangelog(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  private void ensure(int s) {
    if (s >= touchedIn.length) {
      int capacity = Math.max(s + 1, touchedIn.length * 2);
      touchedIn = Arrays.copyOf(touchedIn, capacity);
      emitted = Arrays.copyOf(emitted, capacity);
      entryOf = Arrays.copyOf(entryOf, capacity);
    }
  }

  /** Session {@code s}, spanning {@code [start, end)} until now, is about to change or to be merged away. */
  void touch(int s, long start, long end, boolean mergedAway) {
    ensure(s);
    if (touchedIn[s] != batch) {
      touchedIn[s] = batch;
      entryOf[s] = -1;
      touched = GroupedAggregation.put(touched, touchedCount++, s);
      if (emitted[s]) {
        if (entryCount == entries.length) {
          int capacity = entryCount * 2;
          entries = Arrays.copyOf(entries, capacity);
          entryStarts = Arrays.copyOf(entryStarts, capacity);
          entryEnds = Arrays.copyOf(entryEnds, capacity);
          entryGone = Arrays.copyOf(entryGone, capacity);
        }
        entries[entryCount] = s;
        entryStarts[entryCount] = start;
        entryEnds[entryCount] = end;
        entryGone[entryCount] = false;
        entryOf[s] = entryCount++;
      }
    }
    if (mergedAway && entryOf[s] >= 0) {
      entryGone[entryOf[s]] = true;
    }
    if (mergedAway) {
      // The id is free for a new session from here on.
      touchedIn[s] = 0;
      emitted[s] = false;
    }
  }

  /** Session {@code s} is new (its id may have been another session's earlier in the micro-batch). */
  void created(int s) {
    ensure(s);
    touchedIn[s] = batch;
    entryOf[s] = -1;
    emitted[s] = false;
    touched = GroupedAggregation.put(touched, touchedCount++, s);
  }

  /** Session {@code s} was restored from a checkpoint: its row was emitted when it last changed. */
  void restored(int s) {
    ensure(s);
    emitted[s] = true;
  }

  /** Builds the earlier rows of the sessions touched since the last call, before their aggregates change. */
  void snapshot(SessionState state) {
    if (entryCount > built) {
      int n = entryCount - built;
      before.add(state.output(Arrays.copyOfRange(entries, built, entryCount), n,
          Arrays.copyOfRange(entryStarts, built, entryCount), Arrays.copyOfRange(entryEnds, built, entryCount)));
      built = entryCount;
    }
  }

  /**
   * Adds the micro-batch's changelog to {@code out}: the earlier rows taken back, then the new rows of the sessions
   * still open or just closed ({@code live}), and starts the next micro-batch.
   */
  void finish(SessionState state, boolean[] live, List<Batch> out) {
    try {
      int at = 0;
      for (Batch old : before) {
        int[] kinds = new int[old.rowCount()];
        for (int i = 0; i < kinds.length; i++, at++) {
          kinds[i] = entryGone[at] ? RowKind.DELETE : RowKind.UPDATE_BEFORE;
        }
        out.add(RowKind.attach(old, kinds, allocator));
      }
      int[] now = new int[touchedCount];
      int[] kinds = new int[touchedCount];
      int n = 0;
      for (int i = 0; i < touchedCount; i++) {
        int s = touched[i];
        if (live[s] && touchedIn[s] == batch) {
          touchedIn[s] = -batch;
          now[n] = s;
          kinds[n++] = entryOf[s] >= 0 ? RowKind.UPDATE_AFTER : RowKind.INSERT;
          emitted[s] = true;
        }
      }
      if (n > 0) {
        try (Batch rows = state.output(now, n, null, null)) {
          out.add(RowKind.attach(rows, kinds, allocator));
        }
      }
    } finally {
      reset();
    }
  }

  private void reset() {
    before.forEach(Batch::close);
    before.clear();
    touchedCount = 0;
    entryCount = 0;
    built = 0;
    batch++;
  }

  @Override
  public void close() {
    reset();
  }
}
