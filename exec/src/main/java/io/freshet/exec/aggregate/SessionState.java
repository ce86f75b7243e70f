package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.aggregate.accumulator.Accumulators;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.exec.window.SessionAggregateOperator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The open sessions of a {@link SessionAggregateOperator}: keys in a {@link KeyTable}, and per session its start,
 * end, key and the next session of the same key in primitive arrays; aggregates are {@link Accumulator}s indexed
 * by session id. Session ids of emitted or merged sessions are reused.
 */
public final class SessionState {
  private final SessionAggregateOperator.Spec spec;
  private final BufferAllocator allocator;
  private final KeyTable keys;
  private final Accumulator[] accumulators;
  private final FilteredRows filtered;
  private final Schema stateSchema;
  private int[] head = new int[16];
  private long[] starts = new long[16];
  private long[] ends = new long[16];
  private int[] keyOf = new int[16];
  private int[] next = new int[16];
  private boolean[] live = new boolean[16];
  private int[] free = new int[16];
  private int freeCount;
  private int allocated;
  private int liveCount;
  private long updated;
  private int[] keyIds = new int[0];
  private int[] rowSession = new int[0];
  private int[] keptRows = new int[0];
  private int[] forward = new int[16];
  private final List<int[]> merges = new ArrayList<>();
  /** In update mode, what changed in the micro-batch; null when sessions are emitted as they close. */
  private final SessionChangelog changelog;
  /** Told of keys new in memory before their rows are added, to load their sessions from elsewhere; or null. */
  private KeyLoader loader;

  /**
   * Loads the sessions of keys new in memory (ids {@code from..to-1}) through {@link #restore}. It is called in the
   * middle of {@link #add}, after the batch's keys were found and before any of its rows is placed: restore may
   * then add sessions (ids from the free list or new ones) and mark them in the changelog as emitted before, but
   * must not add keys, which the batch has already numbered.
   */
  public interface KeyLoader {
    void load(int from, int to);
  }

  public SessionState(SessionAggregateOperator.Spec spec, BufferAllocator allocator) {
    this.spec = spec;
    this.allocator = allocator;
    TypeKind[] keyTypes = new TypeKind[spec.keys().length];
    for (int k = 0; k < spec.layout().length; k++) {
      if (spec.layout()[k] >= 0) {
        keyTypes[spec.layout()[k]] = spec.outputSchema().type(k);
      }
    }
    this.keys = new KeyTable(keyTypes);
    this.filtered = new FilteredRows(allocator);
    this.accumulators = new Accumulator[spec.calls().size()];
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < keyTypes.length; i++) {
      fields.add(Column.of("k" + i, keyTypes[i]).toArrowField());
    }
    fields.add(Column.of("start", TypeKind.TIMESTAMP).toArrowField());
    fields.add(Column.of("end", TypeKind.TIMESTAMP).toArrowField());
    for (int i = 0; i < accumulators.length; i++) {
      accumulators[i] = Accumulators.create(spec.calls().get(i));
      fields.addAll(accumulators[i].stateFields("a" + i + "_"));
    }
    this.stateSchema = new Schema(fields);
    Arrays.fill(head, -1);
    this.changelog = spec.updates() ? new SessionChangelog(allocator) : null;
  }

  /** Has {@code loader} load the sessions of each key the first time a row of it comes. */
  public void loadKeysWith(KeyLoader loader) {
    this.loader = loader;
  }

  /** How many key columns lead each row of the state. */
  public int keyCount() {
    return spec.keys().length;
  }

  public Schema stateSchema() {
    return stateSchema;
  }

  public int liveSessions() {
    return liveCount;
  }

  public long takeUpdated() {
    long n = updated;
    updated = 0;
    return n;
  }

  /** Adds the rows of {@code input} not older than {@code watermark}; the others go to {@code late}. */
  public void add(Batch input, long watermark, io.freshet.exec.operator.LateRows late) {
    int n = input.rowCount();
    if (n == 0) {
      return;
    }
    if (keyIds.length < n) {
      keyIds = new int[n];
      rowSession = new int[n];
      keptRows = new int[n];
    }
    FieldVector time = input.vector(spec.timeColumn());
    long data = Vectors.data(time);
    int kept = 0;
    int[] lateRows = new int[0];
    int lateCount = 0;
    for (int i = 0; i < n; i++) {
      if (!time.isNull(i) && MemoryUtil.getLong(data + ((long) i << 3)) >= watermark) {
        keptRows[kept++] = i;
      } else {
        if (lateCount == lateRows.length) {
          lateRows = Arrays.copyOf(lateRows, Math.max(16, lateCount * 2));
        }
        lateRows[lateCount++] = i;
      }
    }
    if (late != null && lateCount > 0) {
      late.drop(input, lateRows, lateCount, allocator);
    }
    if (kept == 0) {
      return;
    }
    FieldVector[] keyVectors = new FieldVector[spec.keys().length];
    for (int k = 0; k < keyVectors.length; k++) {
      keyVectors[k] = input.vector(spec.keys()[k]);
    }
    int known = keys.size();
    keys.findOrInsert(keyVectors, n, keyIds);
    growHeads();
    if (loader != null && keys.size() > known) {
      loader.load(known, keys.size());
    }
    long gap = spec.gapMs();
    merges.clear();
    for (int j = 0; j < kept; j++) {
      int i = keptRows[j];
      int key = keyIds[i];
      long ts = MemoryUtil.getLong(data + ((long) i << 3));
      int target = -1;
      int prev = -1;
      int s = head[key];
      while (s >= 0) {
        int following = next[s];
        if (ts >= starts[s] - gap && ts <= ends[s]) {
          if (changelog != null) {
            changelog.touch(s, starts[s], ends[s], target >= 0);
          }
          if (target < 0) {
            target = s;
            prev = s;
          } else {
            // The row bridges two sessions: fold s into target.
            starts[target] = Math.min(starts[target], starts[s]);
            ends[target] = Math.max(ends[target], ends[s]);
            merges.add(new int[] {target, s});
            forward[s] = target;
            next[prev] = following;
            live[s] = false;
            liveCount--;
          }
        } else {
          prev = s;
        }
        s = following;
      }
      if (target < 0) {
        target = newSession(key, ts, ts + gap);
        if (changelog != null) {
          changelog.created(target);
        }
      } else {
        starts[target] = Math.min(starts[target], ts);
        ends[target] = Math.max(ends[target], ts + gap);
      }
      rowSession[j] = target;
    }
    for (int j = 0; j < kept; j++) {
      int s = rowSession[j];
      while (forward[s] != s) {
        s = forward[s];
      }
      rowSession[j] = s;
    }
    for (Accumulator a : accumulators) {
      a.ensureCapacity(allocated);
    }
    if (changelog != null) {
      changelog.snapshot(this);
    }
    for (int[] m : merges) {
      for (Accumulator a : accumulators) {
        a.merge(m[0], m[1]);
      }
    }
    int[] rows = kept == n ? null : keptRows;
    for (int a = 0; a < accumulators.length; a++) {
      filtered.fold(accumulators[a], spec.calls().get(a), input, rows, rowSession, kept, false);
    }
    for (int[] m : merges) {
      release(m[1]);
    }
    updated += kept;
  }

  private void growHeads() {
    if (keys.size() > head.length) {
      int old = head.length;
      head = Arrays.copyOf(head, Math.max(keys.size(), old * 2));
      Arrays.fill(head, old, head.length, -1);
    }
  }

  /** The key columns of keys {@code ids} (new vectors the caller closes). */
  public List<FieldVector> keyVectors(int[] ids) {
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      for (int k = 0; k < spec.keys().length; k++) {
        vectors.add(keys.toVector(k, ids, ids.length, allocator));
      }
    });
    return vectors;
  }

  /** Forgets every session and key, as after a checkpoint that wrote them elsewhere. */
  public void forgetAll() {
    for (int s = 0; s < allocated; s++) {
      if (live[s]) {
        live[s] = false;
        release(s);
      }
    }
    liveCount = 0;
    keys.compact(new int[0], 0);
    head = new int[16];
    Arrays.fill(head, -1);
  }

  private int newSession(int key, long start, long end) {
    int s;
    if (freeCount > 0) {
      s = free[--freeCount];
    } else {
      s = allocated++;
      if (s == starts.length) {
        int cap = s * 2;
        starts = Arrays.copyOf(starts, cap);
        ends = Arrays.copyOf(ends, cap);
        keyOf = Arrays.copyOf(keyOf, cap);
        next = Arrays.copyOf(next, cap);
        live = Arrays.copyOf(live, cap);
        forward = Arrays.copyOf(forward, cap);
      }
    }
    for (Accumulator a : accumulators) {
      a.ensureCapacity(allocated);
      a.reset(s);
    }
    starts[s] = start;
    ends[s] = end;
    keyOf[s] = key;
    next[s] = head[key];
    head[key] = s;
    live[s] = true;
    forward[s] = s;
    liveCount++;
    return s;
  }

  /** Returns a merged or emitted session's id for reuse (its accumulators are reset when reused). */
  private void release(int s) {
    if (free.length == freeCount) {
      free = Arrays.copyOf(free, freeCount * 2);
    }
    free[freeCount++] = s;
  }

  /**
   * In update mode, the changelog of the sessions the micro-batch changed (then {@link #emitClosed} forgets the
   * closed ones without emitting them again).
   */
  public List<Batch> changes() {
    List<Batch> out = new ArrayList<>();
    try {
      changelog.finish(this, live, out);
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  /** Emits (unless in update mode, which emitted them as they changed) and forgets the sessions the watermark closed. */
  public List<Batch> emitClosed(long watermark) {
    int[] closed = new int[liveCount];
    int n = 0;
    for (int s = 0; s < allocated; s++) {
      if (live[s] && ends[s] < watermark) {
        closed[n++] = s;
      }
    }
    if (n == 0) {
      return List.of();
    }
    Batch out = changelog != null ? null : output(closed, n, null, null);
    for (int i = 0; i < n; i++) {
      unlink(closed[i]);
      release(closed[i]);
    }
    compactKeys();
    return out == null ? List.of() : List.of(out);
  }

  private void unlink(int s) {
    int key = keyOf[s];
    if (head[key] == s) {
      head[key] = next[s];
    } else {
      int p = head[key];
      while (next[p] != s) {
        p = next[p];
      }
      next[p] = next[s];
    }
    live[s] = false;
    liveCount--;
  }

  /**
   * The output rows of {@code sessions[0..n)}, with the start and end of row i from {@code rowStarts[i]} and
   * {@code rowEnds[i]} where given (a session's span before the micro-batch changed it), else as they are now.
   */
  Batch output(int[] sessions, int n, long[] rowStarts, long[] rowEnds) {
    RowSchema schema = spec.outputSchema();
    int[] owners = new int[n];
    for (int i = 0; i < n; i++) {
      owners[i] = keyOf[sessions[i]];
    }
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int k = 0; k < spec.layout().length; k++) {
        int l = spec.layout()[k];
        if (l >= 0) {
          vectors.add(keys.toVector(l, owners, n, allocator));
        } else {
          long[] values = new long[n];
          for (int i = 0; i < n; i++) {
            int s = sessions[i];
            long start = rowStarts != null ? rowStarts[i] : starts[s];
            long end = rowEnds != null ? rowEnds[i] : ends[s];
            values[i] = l == SessionAggregateOperator.WINDOW_START ? start
                : l == SessionAggregateOperator.WINDOW_END ? end : end - 1;
          }
          vectors.add(times(values, n));
        }
      }
      int base = spec.layout().length;
      for (int a = 0; a < accumulators.length; a++) {
        vectors.add(accumulators[a].result(sessions, n, schema.type(base + a), allocator));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return Batch.of(schema, vectors, n);
  }

  private FieldVector times(long[] values, int n) {
    FieldVector v = Vectors.allocate(TypeKind.TIMESTAMP, n, allocator);
    Vectors.setAllValid(v, n);
    long data = Vectors.data(v);
    for (int i = 0; i < n; i++) {
      MemoryUtil.putLong(data + ((long) i << 3), values[i]);
    }
    v.setValueCount(n);
    return v;
  }

  /** Drops keys without open sessions once they are most of the key table. */
  private void compactKeys() {
    int size = keys.size();
    int used = 0;
    for (int k = 0; k < size; k++) {
      if (head[k] >= 0) {
        used++;
      }
    }
    if (size < 1024 || used * 2 > size) {
      return;
    }
    int[] survivors = new int[used];
    int[] renumber = new int[size];
    int n = 0;
    for (int k = 0; k < size; k++) {
      renumber[k] = head[k] >= 0 ? n : -1;
      if (head[k] >= 0) {
        survivors[n++] = k;
      }
    }
    keys.compact(survivors, n);
    int[] newHead = new int[Math.max(16, n)];
    Arrays.fill(newHead, -1);
    for (int i = 0; i < n; i++) {
      newHead[i] = head[survivors[i]];
    }
    head = newHead;
    for (int s = 0; s < allocated; s++) {
      if (live[s]) {
        keyOf[s] = renumber[keyOf[s]];
      }
    }
  }

  public long bytes() {
    long total = keys.bytes() + starts.length * 41L + head.length * 4L;
    for (Accumulator a : accumulators) {
      total += a.bytes();
    }
    return total;
  }

  // ------------------------------------------------------------------ state

  public void writeSnapshot(StateStore store, long version) {
    try (VectorSchemaRoot root = snapshot()) {
      store.write(version, true, List.of(root));
    }
  }

  /** Every open session as a row of {@link #stateSchema}: its keys, start, end and aggregates' state. */
  public VectorSchemaRoot snapshot() {
    int[] sessions = new int[liveCount];
    int n = 0;
    for (int s = 0; s < allocated; s++) {
      if (live[s]) {
        sessions[n++] = s;
      }
    }
    int[] owners = new int[n];
    long[] st = new long[n];
    long[] en = new long[n];
    for (int i = 0; i < n; i++) {
      owners[i] = keyOf[sessions[i]];
      st[i] = starts[sessions[i]];
      en[i] = ends[sessions[i]];
    }
    List<FieldVector> vectors = keyVectors(owners);
    vectors.add(times(st, n));
    vectors.add(times(en, n));
    for (Accumulator a : accumulators) {
      vectors.addAll(a.writeState(sessions, n, allocator));
    }
    List<FieldVector> named = new ArrayList<>();
    for (int i = 0; i < vectors.size(); i++) {
      var pair = vectors.get(i).getTransferPair(stateSchema.getFields().get(i), allocator);
      pair.transfer();
      vectors.get(i).close();
      named.add((FieldVector) pair.getTo());
    }
    return new VectorSchemaRoot(stateSchema.getFields(), named, n);
  }

  public void restore(VectorSchemaRoot root) {
    int n = root.getRowCount();
    if (n == 0) {
      return;
    }
    FieldVector[] keyVectors = new FieldVector[spec.keys().length];
    for (int k = 0; k < keyVectors.length; k++) {
      keyVectors[k] = root.getVector(k);
    }
    int[] owners = new int[n];
    keys.findOrInsert(keyVectors, n, owners);
    growHeads();
    int column = keyVectors.length;
    FieldVector st = root.getVector(column);
    FieldVector en = root.getVector(column + 1);
    int[] sessions = new int[n];
    for (int i = 0; i < n; i++) {
      sessions[i] = newSession(owners[i], MemoryUtil.getLong(Vectors.data(st) + ((long) i << 3)),
          MemoryUtil.getLong(Vectors.data(en) + ((long) i << 3)));
      if (changelog != null) {
        changelog.restored(sessions[i]);
      }
    }
    List<List<FieldVector>> states = Accumulators.stateColumns(accumulators, root::getVector, column + 2);
    for (int a = 0; a < accumulators.length; a++) {
      for (int i = 0; i < n; i++) {
        accumulators[a].readState(states.get(a), i, sessions[i]);
      }
    }
  }
}
