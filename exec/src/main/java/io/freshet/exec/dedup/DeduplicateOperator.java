package io.freshet.exec.dedup;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * Flink's deduplication, {@code ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts [ASC|DESC]) = 1} with {@code ts} the
 * event time: one row per key. Keep-first (ASC) keeps each key's earliest row: it waits as the key's pending row,
 * replaced by a row of an earlier time, until the watermark reaches its time, when no row still to come can be
 * earlier (rows older than the watermark are late: dropped and counted); then it is emitted, once, and the key keeps
 * only a marker, by which its later rows are dropped. The output is insert-only. Keep-last (DESC) keeps each key's
 * latest row (of ties, the one that came last) and emits a changelog: a new key's row (+I), a replaced row (-U)
 * and its successor (+U), once per key and micro-batch; it needs no watermark. Rows without an event time are
 * dropped and counted. The keys live in {@link DedupSlots} on the heap, or, with RocksDB, in a {@link KeyValueDedup}
 * that pages to disk.
 */
public final class DeduplicateOperator implements StatefulOperator {

  /**
   * The plan-time description; the output is the input's columns followed by the row number (BIGINT, always 1).
   *
   * @param key the PARTITION BY columns
   * @param timeColumn the ORDER BY column, the input's event time
   * @param keepLast whether it keeps each key's latest row (ORDER BY DESC) rather than its first
   */
  public record Spec(int[] key, int timeColumn, boolean keepLast, RowSchema outputSchema) implements OperatorFactory {
    public Spec {
      key = key.clone();
    }

    @Override
    public DeduplicateOperator create(OperatorContext context) {
      return new DeduplicateOperator(this, context.allocator(), context.lateRows(), context.stateBackend());
    }

    RowSchema inputSchema() {
      return new RowSchema(outputSchema.columns().subList(0, outputSchema.size() - 1));
    }

    /** The key columns, nullable, as the state holds them. */
    RowSchema keySchema() {
      RowSchema input = inputSchema();
      return new RowSchema(Arrays.stream(key).mapToObj(c -> new Column(input.column(c).name(), input.type(c), true))
          .toList());
    }

    @Override
    public String kind() {
      return "deduplicate";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    /** Keep-first drops rows older than the watermark. */
    @Override
    public boolean dropsLateRows() {
      return !keepLast;
    }

    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return keepLast ? ChangelogMode.RETRACT : ChangelogMode.INSERT_ONLY;
    }

    /** Keep-last replaces each key's row: its key is the PARTITION BY columns. */
    @Override
    public int[] upsertKey(List<int[]> inputKeys) {
      return keepLast ? key.clone() : null;
    }

    @Override
    public String describe() {
      return describe(i -> "$" + i);
    }

    @Override
    public String describe(IntFunction<String> column) {
      return "Deduplicate(key=" + Arrays.stream(key).mapToObj(column).toList() + ", keep " + (keepLast ? "last"
          : "first") + " by " + column.apply(timeColumn) + ")";
    }
  }

  private final Spec spec;
  private final BufferAllocator allocator;
  private final LateRows late;
  private final StateBackend backend;
  private final RowSchema inputSchema;
  private final DedupSlots slots;
  private final DedupRowCodec codec = new DedupRowCodec();
  private final DedupCheckpoint checkpoint;
  private final KeyValueRestore restorer = new KeyValueRestore();
  /** The RocksDB state, opened by {@link #restoreState}; null with the memory state store. */
  private KeyValueDedup rocks;
  private long watermark = Long.MIN_VALUE;
  /** Keep-first markers, or keep-last rows. */
  private long entries;
  private long updated;
  private long updatedInBatch;
  private long dropped;
  /** Keep-last: the keys the micro-batch replaced, each with the row emitted for it before (null when new). */
  private int[] touched = new int[16];
  private int touchedCount;
  private final List<byte[]> before = new ArrayList<>();
  private int[] touchedIn = new int[16];
  private int batchNumber = 1;
  private int[] selection = new int[0];
  private int[] found = new int[0];
  private int[] lateRows = new int[0];

  private DeduplicateOperator(Spec spec, BufferAllocator allocator, LateRows late, StateBackend backend) {
    this.spec = spec;
    this.allocator = allocator;
    this.late = late;
    this.backend = backend;
    this.inputSchema = spec.inputSchema();
    RowSchema keySchema = spec.keySchema();
    this.slots = new DedupSlots(keySchema.columns().stream().map(Column::type).toArray(TypeKind[]::new));
    this.checkpoint = new DedupCheckpoint(slots, keySchema, allocator);
  }

  @Override
  public String name() {
    return "Deduplicate";
  }

  @Override
  public void startBatch(long watermarkMs) {
    this.watermark = watermarkMs;
  }

  @Override
  public List<Batch> process(Batch input) {
    int n = input.rowCount();
    if (n == 0) {
      return List.of();
    }
    if (selection.length < n) {
      selection = new int[n];
      found = new int[n];
      lateRows = new int[n];
    }
    // Keep-first drops rows older than the watermark; both drop rows without a time.
    FieldVector time = input.vector(spec.timeColumn());
    long data = Vectors.data(time);
    long validity = Vectors.validity(time);
    boolean nullable = time.getNullCount() > 0;
    long wm = spec.keepLast() ? Long.MIN_VALUE : watermark;
    int m = 0;
    int gone = 0;
    for (int i = 0; i < n; i++) {
      if (nullable && !Vectors.bit(validity, i) || MemoryUtil.getLong(data + ((long) i << 3)) < wm) {
        lateRows[gone++] = i;
      } else {
        selection[m++] = i;
      }
    }
    if (gone > 0 && late != null) {
      if (spec.keepLast()) {
        late.add(gone);
      } else {
        late.drop(input, lateRows, gone, allocator);
      }
    }
    if (m == 0) {
      return List.of();
    }
    findSlots(input, m, gone == 0);
    List<FieldVector> columns = new ArrayList<>(inputSchema.size());
    for (int c = 0; c < inputSchema.size(); c++) {
      columns.add(input.vector(c));
    }
    for (int i = 0; i < m; i++) {
      int r = selection[i];
      int s = found[i];
      long ts = MemoryUtil.getLong(data + ((long) r << 3));
      byte status = slots.status(s);
      if (spec.keepLast()) {
        if (status == DedupSlots.KEPT && ts < slots.time(s)) {
          continue;
        }
        touch(s, status == DedupSlots.KEPT ? slots.row(s) : null);
        if (status != DedupSlots.KEPT) {
          entries++;
        }
        slots.set(s, DedupSlots.KEPT, ts, codec.encode(columns, r, ts));
      } else {
        if (status == DedupSlots.EMITTED || status == DedupSlots.PENDING && ts >= slots.time(s)) {
          continue;
        }
        slots.set(s, DedupSlots.PENDING, ts, codec.encode(columns, r, ts));
      }
      updated++;
    }
    return List.of();
  }

  /** Finds the slots of the {@code m} selected rows into {@link #found}, reading new ones from RocksDB. */
  private void findSlots(Batch input, int m, boolean all) {
    FieldVector[] keys = new FieldVector[spec.key().length];
    try {
      for (int k = 0; k < keys.length; k++) {
        int c = spec.key()[k];
        keys[k] = all ? input.vector(c) : Vectors.gather(input.vector(c), inputSchema.type(c), selection, m,
            allocator);
      }
      int before = slots.size();
      slots.find(keys, m, found);
      if (rocks != null) {
        rocks.load(before, slots.size());
      }
    } finally {
      if (!all) {
        for (FieldVector v : keys) {
          if (v != null) {
            v.close();
          }
        }
      }
    }
  }

  /** Keep-last: remembers, the first time the micro-batch changes {@code slot}, the row emitted for it before. */
  private void touch(int slot, byte[] emitted) {
    if (touchedIn.length <= slot) {
      touchedIn = Arrays.copyOf(touchedIn, Math.max(slot + 1, touchedIn.length * 2));
    }
    if (touchedIn[slot] == batchNumber) {
      return;
    }
    touchedIn[slot] = batchNumber;
    if (touchedCount == touched.length) {
      touched = Arrays.copyOf(touched, touchedCount * 2);
    }
    touched[touchedCount++] = slot;
    before.add(emitted);
  }

  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    dropped = late == null ? 0 : late.take();
    updatedInBatch = updated;
    updated = 0;
    List<Batch> out = new ArrayList<>();
    try {
      if (spec.keepLast()) {
        changes(out);
      } else {
        int[] due = slots.due(watermarkMs);
        List<byte[]> rows = new ArrayList<>(due.length);
        for (int s : due) {
          rows.add(slots.row(s));
          slots.set(s, DedupSlots.EMITTED, 0, null);
        }
        entries += due.length;
        if (!rows.isEmpty()) {
          out.add(build(rows, null));
        }
      }
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  /** Keep-last: each replaced row taken back (-U) and each key's row now (+U, or +I for a new key). */
  private void changes(List<Batch> out) {
    List<byte[]> rows = new ArrayList<>();
    List<Integer> kinds = new ArrayList<>();
    List<byte[]> after = new ArrayList<>();
    List<Integer> afterKinds = new ArrayList<>();
    for (int i = 0; i < touchedCount; i++) {
      byte[] was = before.get(i);
      byte[] now = slots.row(touched[i]);
      if (was != null && Arrays.equals(was, now)) {
        continue;
      }
      if (was != null) {
        rows.add(was);
        kinds.add(RowKind.UPDATE_BEFORE);
      }
      after.add(now);
      afterKinds.add(was == null ? RowKind.INSERT : RowKind.UPDATE_AFTER);
    }
    touchedCount = 0;
    before.clear();
    batchNumber++;
    rows.addAll(after);
    kinds.addAll(afterKinds);
    if (!rows.isEmpty()) {
      out.add(build(rows, kinds.stream().mapToInt(Integer::intValue).toArray()));
    }
  }

  /** The rows, decoded, each numbered 1, with row kinds {@code kinds} unless null. */
  private Batch build(List<byte[]> rows, int[] kinds) {
    int n = rows.size();
    List<FieldVector> vectors = Vectors.empty(inputSchema.columns().stream().map(Column::toArrowField).toList(),
        allocator);
    try {
      for (int i = 0; i < n; i++) {
        DedupRowCodec.decode(rows.get(i), vectors, i);
      }
      FieldVector number = Vectors.allocate(TypeKind.BIGINT, n, allocator);
      vectors.add(number);
      Vectors.setAllValid(number, n);
      long data = Vectors.data(number);
      for (int i = 0; i < n; i++) {
        MemoryUtil.putLong(data + ((long) i << 3), 1L);
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    Batch batch = Batch.of(spec.outputSchema(), vectors, n);
    if (kinds == null) {
      return batch;
    }
    try (Batch plain = batch) {
      return RowKind.attach(plain, kinds, allocator);
    }
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    if (rocks != null) {
      rocks.checkpoint(version, entries);
    } else {
      checkpoint.commit(store, version);
    }
  }

  /** The key columns: the first of each row of the memory store's files, decoded from each RocksDB key. */
  @Override
  public int[] stateKeyColumns() {
    int[] columns = new int[spec.key().length];
    Arrays.setAll(columns, i -> i);
    return columns;
  }

  /**
   * Restores from the partition's own directory, or, after a change in the number of partitions, from each store of
   * the previous layout that holds some of its keys (in RocksDB, into an empty database of its own).
   */
  @Override
  public void restoreState(StateStore store, long version) {
    if (backend.pagesToDisk()) {
      if (rocks == null) {
        rocks = new KeyValueDedup(backend.open(store.home(), "Deduplicate " + spec.describe()), slots,
            spec.keepLast(), spec.keySchema(), allocator);
      }
      restorer.restore(rocks, store, version);
      entries = rocks.entries();
    } else if (version >= 0) {
      checkpoint.restore(store, version);
      entries = 0;
      for (int s : slots.held()) {
        entries += slots.status(s) == DedupSlots.PENDING ? 0 : 1;
      }
      slots.committed();
    }
    updated = 0;
  }

  @Override
  public long heapStateBytes() {
    return slots.bytes();
  }

  /**
   * Keys held: markers and pending rows (keep-first) or kept rows (keep-last); its own figures name them apart:
   * {@code numPendingRows} and {@code numMarkers}, or {@code numKeptRows}.
   */
  @Override
  public StateOperatorProgress progress() {
    long bytes = heapStateBytes() + (rocks == null ? 0 : rocks.memoryBytes());
    Map<String, Long> metrics = spec.keepLast() ? Map.of("numKeptRows", entries)
        : Map.of("numPendingRows", (long) slots.pendingCount(), "numMarkers", entries);
    long total = entries + (spec.keepLast() ? 0 : slots.pendingCount());
    return new StateOperatorProgress(name(), total, updatedInBatch, bytes, dropped, metrics);
  }

  @Override
  public void close() {
    if (rocks != null) {
      rocks.close();
      rocks = null;
    }
    slots.clear();
  }
}
