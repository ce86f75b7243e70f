package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.aggregate.accumulator.Accumulators;
import io.freshet.exec.aggregate.accumulator.DistinctCount;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * GROUP BY with aggregates, over windows or not. Each input batch is hashed to group ids column by column and
 * every aggregate folds the batch into its primitive arrays. What the operator emits at the end of a micro-batch
 * depends on {@link Emit}: the groups whose window the watermark closed (append, and any aggregation that feeds
 * another stateful operator), the groups changed in this batch (update) or all groups (complete). A windowed
 * group is evicted once the watermark passes its window's end, except in complete mode, which keeps every group.
 */
public final class HashAggregateOperator implements StatefulOperator {

  /** What a micro-batch emits. */
  public enum Emit { ON_CLOSE, UPDATES, COMPLETE }

  /**
   * The plan-time description.
   *
   * @param keys the grouping columns of the input, in output order
   * @param closeKey the index in {@code keys} of the column that closes a group (a window end or start), or -1
   *     for an unbounded aggregation
   * @param closeOffsetMs added to the close key's value to get the time at which the group's window closes
   * @param derivedFromClose per key, {@link #NOT_DERIVED} or the difference between its value and the close
   *     key's (window_start is window_end minus the size): such keys are not hashed or stored, only computed
   */
  public record Spec(int[] keys, List<AggregateCall> calls, RowSchema outputSchema, int closeKey, long closeOffsetMs,
      Emit emit, long[] derivedFromClose) implements OperatorFactory {
    public Spec {
      keys = keys.clone();
      calls = List.copyOf(calls);
      if (derivedFromClose == null) {
        derivedFromClose = new long[keys.length];
        java.util.Arrays.fill(derivedFromClose, NOT_DERIVED);
      }
      derivedFromClose = derivedFromClose.clone();
    }

    public Spec(int[] keys, List<AggregateCall> calls, RowSchema outputSchema, int closeKey, long closeOffsetMs,
        Emit emit) {
      this(keys, calls, outputSchema, closeKey, closeOffsetMs, emit, null);
    }

    public Spec withEmit(Emit newEmit) {
      return new Spec(keys, calls, outputSchema, closeKey, closeOffsetMs, newEmit, derivedFromClose);
    }

    public boolean windowed() {
      return closeKey >= 0;
    }

    /**
     * The operator for one partition; an unbounded aggregation keeps its groups in RocksDB when the context asks
     * for it (a windowed one keeps them in memory).
     */
    @Override
    public HashAggregateOperator create(OperatorContext context) {
      return new HashAggregateOperator(this, context.allocator(), context.lateRows(),
          !windowed() && context.stateStore() == OperatorContext.StateStoreKind.ROCKSDB);
    }

    @Override
    public String kind() {
      return "aggregate";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    /** Final rows when windows close; otherwise each changed group replaces its earlier row. */
    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return emit == Emit.ON_CLOSE ? ChangelogMode.INSERT_ONLY : ChangelogMode.UPSERT;
    }

    @Override
    public String describe() {
      StringBuilder sb = new StringBuilder(windowed() ? "WindowAggregate" : "Aggregate");
      sb.append("(keys=").append(Arrays.toString(keys)).append(", aggregates=").append(calls);
      if (windowed()) {
        sb.append(", closes at key ").append(closeKey).append(closeOffsetMs == 0 ? "" : " + " + closeOffsetMs + " ms");
        for (int k = 0; k < keys.length; k++) {
          if (derivedFromClose[k] != NOT_DERIVED) {
            sb.append(", key ").append(k).append(" = key ").append(closeKey).append(derivedFromClose[k] < 0 ? " - "
                : " + ").append(Math.abs(derivedFromClose[k])).append(" ms");
          }
        }
      }
      return sb.append(", emit=").append(emit).append(')').toString();
    }
  }

  /** A key that is stored, not computed from the close key. */
  public static final long NOT_DERIVED = Long.MIN_VALUE;

  private static final int UPSERT = 0;
  private static final int DELETE = 1;
  private static final int DISTINCT = 2;

  private final Spec spec;
  private final BufferAllocator allocator;
  private final LateRows late;
  private final KeyTable table;
  /** The indexes in {@code spec.keys()} of the keys the table stores, and the close key among them. */
  private final int[] stored;
  private final int closeStored;
  private final Accumulator[] accumulators;
  private final Schema stateSchema;
  private int[] groups = new int[0];
  private boolean[] dirty = new boolean[16];
  private int[] dirtyList = new int[16];
  /** Whether a group is in the checkpoint (so that evicting it needs a delete in the next delta). */
  private boolean[] persisted = new boolean[16];
  private int dirtyCount;
  private final List<List<FieldVector>> pendingDeletes = new ArrayList<>();
  private long minClose = Long.MAX_VALUE;
  /**
   * Whether groups live in RocksDB: the in-memory table then holds only the groups of the batch in progress,
   * loaded from RocksDB when first touched, written back and dropped from memory at each checkpoint.
   */
  private final boolean rocksDb;
  private io.freshet.exec.state.RocksDbState rocks;
  private long updatedInBatch;
  private long droppedInBatch;

  private HashAggregateOperator(Spec spec, BufferAllocator allocator, LateRows late, boolean rocksDb) {
    this.spec = spec;
    this.rocksDb = rocksDb && !spec.windowed();
    if (this.rocksDb && spec.calls().stream().anyMatch(c -> c.kind() == AggregateCall.Kind.COUNT_DISTINCT)) {
      throw io.freshet.streaming.FreshetException.user("COUNT(DISTINCT ...) keeps its distinct values in memory; "
          + "it cannot run with 'state-store' = 'rocksdb' yet. Use APPROX_COUNT_DISTINCT, or the memory store");
    }
    this.allocator = allocator;
    this.late = late;
    this.stored = java.util.stream.IntStream.range(0, spec.keys().length)
        .filter(k -> spec.derivedFromClose()[k] == NOT_DERIVED).toArray();
    int close = -1;
    TypeKind[] keyTypes = new TypeKind[stored.length];
    for (int i = 0; i < stored.length; i++) {
      keyTypes[i] = spec.outputSchema().type(stored[i]);
      if (stored[i] == spec.closeKey()) {
        close = i;
      }
    }
    this.closeStored = close;
    this.table = new KeyTable(keyTypes);
    this.accumulators = new Accumulator[spec.calls().size()];
    for (int i = 0; i < accumulators.length; i++) {
      AggregateCall call = spec.calls().get(i);
      accumulators[i] = call.kind() == AggregateCall.Kind.COUNT_DISTINCT
          ? new DistinctCount(call.argumentType(), allocator) : Accumulators.create(call);
    }
    List<Field> fields = new ArrayList<>();
    fields.add(Column.of("kind", TypeKind.INT).toArrowField());
    for (int i = 0; i < keyTypes.length; i++) {
      fields.add(Column.of("k" + i, keyTypes[i]).toArrowField());
    }
    for (int i = 0; i < accumulators.length; i++) {
      fields.addAll(accumulators[i].stateFields("a" + i + "_"));
      if (accumulators[i] instanceof DistinctCount d) {
        fields.add(Column.of("d" + i, d.valueType()).toArrowField());
      }
    }
    this.stateSchema = new Schema(fields);
  }

  @Override
  public String name() {
    return spec.windowed() ? "WindowAggregate" : "Aggregate";
  }

  @Override
  public List<Batch> process(Batch input) {
    int n = input.rowCount();
    if (n == 0) {
      return List.of();
    }
    if (groups.length < n) {
      groups = new int[n];
    }
    int before = table.size();
    FieldVector[] keyVectors = new FieldVector[stored.length];
    for (int k = 0; k < keyVectors.length; k++) {
      keyVectors[k] = input.vector(spec.keys()[stored[k]]);
    }
    table.findOrInsert(keyVectors, n, groups);
    int size = table.size();
    for (Accumulator accumulator : accumulators) {
      accumulator.ensureCapacity(size);
    }
    if (rocks != null && size > before) {
      load(before, size);
    }
    for (int a = 0; a < accumulators.length; a++) {
      int arg = spec.calls().get(a).argument();
      accumulators[a].update(groups, arg < 0 ? null : input.vector(arg), n);
    }
    ensureGroupArrays(size);
    for (int i = 0; i < n; i++) {
      int g = groups[i];
      if (!dirty[g]) {
        dirty[g] = true;
        dirtyList[dirtyCount++] = g;
      }
    }
    if (spec.windowed()) {
      for (int g = before; g < size; g++) {
        minClose = Math.min(minClose, closeTime(g));
      }
    }
    return List.of();
  }

  private int[] range(int from, int to) {
    int[] list = new int[to - from];
    for (int i = 0; i < list.length; i++) {
      list[i] = from + i;
    }
    return list;
  }

  private List<FieldVector> keyVectors(int[] list) {
    List<FieldVector> keys = new ArrayList<>();
    for (int k = 0; k < stored.length; k++) {
      keys.add(table.toVector(k, list, list.length, allocator));
    }
    return keys;
  }

  private List<FieldVector> emptyStateVectors() {
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      for (Accumulator a : accumulators) {
        for (Field f : a.stateFields("")) {
          FieldVector v = f.createVector(allocator);
          vectors.add(v);
          v.allocateNew();
        }
      }
    });
    return vectors;
  }

  /** Reads from RocksDB the state of the groups {@code from..to-1}, new in memory in this batch. */
  private void load(int from, int to) {
    int[] list = range(from, to);
    List<FieldVector> keys = keyVectors(list);
    List<FieldVector> states = emptyStateVectors();
    try {
      int[] rows = rocks.lookup(keys, list.length, states);
      int column = 0;
      for (Accumulator a : accumulators) {
        int width = a.stateFields("").size();
        List<FieldVector> mine = states.subList(column, column + width);
        for (int i = 0; i < list.length; i++) {
          if (rows[i] >= 0) {
            a.readState(mine, rows[i], list[i]);
          }
        }
        column += width;
      }
    } finally {
      keys.forEach(FieldVector::close);
      states.forEach(FieldVector::close);
    }
  }

  /** Writes every group in memory to RocksDB. */
  private void storeAll() {
    int[] list = range(0, table.size());
    if (list.length == 0) {
      return;
    }
    List<FieldVector> keys = keyVectors(list);
    List<FieldVector> states = new ArrayList<>();
    try {
      for (Accumulator a : accumulators) {
        states.addAll(a.writeState(list, list.length, allocator));
      }
      rocks.put(keys, states, list.length);
    } finally {
      keys.forEach(FieldVector::close);
      states.forEach(FieldVector::close);
    }
  }

  /** Complete mode over RocksDB: every stored group, decoded a chunk at a time into scratch accumulators. */
  private void emitAllFromRocks(List<Batch> out) {
    storeAll();
    rocks.scan(8192, (keyBytes, stateBytes) -> {
      int n = keyBytes.size();
      Accumulator[] scratch = new Accumulator[accumulators.length];
      List<FieldVector> keys = new ArrayList<>();
      List<FieldVector> states = emptyStateVectors();
      List<FieldVector> vectors = new ArrayList<>();
      try {
        for (int k = 0; k < stored.length; k++) {
          FieldVector v = spec.outputSchema().column(k).toArrowField().createVector(allocator);
          keys.add(v);
          v.allocateNew();
        }
        for (int i = 0; i < n; i++) {
          io.freshet.exec.state.RocksDbState.decode(keyBytes.get(i), keys, i);
          io.freshet.exec.state.RocksDbState.decode(stateBytes.get(i), states, i);
        }
        keys.forEach(v -> v.setValueCount(n));
        int[] list = range(0, n);
        int column = 0;
        for (int a = 0; a < accumulators.length; a++) {
          scratch[a] = Accumulators.create(spec.calls().get(a));
          scratch[a].ensureCapacity(n);
          int width = scratch[a].stateFields("").size();
          List<FieldVector> mine = states.subList(column, column + width);
          mine.forEach(v -> v.setValueCount(n));
          for (int i = 0; i < n; i++) {
            scratch[a].readState(mine, i, i);
          }
          column += width;
        }
        vectors.addAll(keys);
        keys.clear();
        for (int a = 0; a < scratch.length; a++) {
          vectors.add(scratch[a].result(list, n, spec.outputSchema().type(spec.keys().length + a), allocator));
        }
        out.add(Batch.of(spec.outputSchema(), new ArrayList<>(vectors), n));
        vectors.clear();
      } finally {
        keys.forEach(FieldVector::close);
        states.forEach(FieldVector::close);
        vectors.forEach(FieldVector::close);
      }
    });
  }

  private void ensureGroupArrays(int size) {
    if (size > dirty.length) {
      dirty = Arrays.copyOf(dirty, Math.max(size, dirty.length * 2));
      dirtyList = Arrays.copyOf(dirtyList, dirty.length);
      persisted = Arrays.copyOf(persisted, dirty.length);
    }
  }

  private long closeTime(int group) {
    return table.longValue(closeStored, group) + spec.closeOffsetMs();
  }

  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    droppedInBatch = late == null ? 0 : late.take();
    updatedInBatch = dirtyCount;
    List<Batch> out = new ArrayList<>();
    int[] closed = spec.windowed() && watermarkMs >= minClose ? closedGroups(watermarkMs) : new int[0];
    switch (spec.emit()) {
      case ON_CLOSE -> emit(closed, closed.length, out);
      case UPDATES -> {
        int[] changed = Arrays.copyOf(dirtyList, dirtyCount);
        Arrays.sort(changed);
        emit(changed, changed.length, out);
      }
      case COMPLETE -> {
        if (rocks != null) {
          emitAllFromRocks(out);
          break;
        }
        int[] all = new int[table.size()];
        for (int g = 0; g < all.length; g++) {
          all[g] = g;
        }
        emit(all, all.length, out);
      }
    }
    if (closed.length > 0 && spec.emit() != Emit.COMPLETE) {
      evict(closed);
    }
    return out;
  }

  private int[] closedGroups(long watermarkMs) {
    int size = table.size();
    int[] closed = new int[size];
    int n = 0;
    for (int g = 0; g < size; g++) {
      if (closeTime(g) <= watermarkMs) {
        closed[n++] = g;
      }
    }
    return Arrays.copyOf(closed, n);
  }

  private void emit(int[] list, int n, List<Batch> out) {
    if (n == 0) {
      return;
    }
    List<FieldVector> vectors = new ArrayList<>();
    try {
      int s = 0;
      for (int k = 0; k < spec.keys().length; k++) {
        long delta = spec.derivedFromClose()[k];
        vectors.add(delta == NOT_DERIVED ? table.toVector(s++, list, n, allocator) : derived(list, n, delta));
      }
      for (int a = 0; a < accumulators.length; a++) {
        vectors.add(accumulators[a].result(list, n, spec.outputSchema().type(spec.keys().length + a), allocator));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    out.add(Batch.of(spec.outputSchema(), vectors, n));
  }

  /** A window key computed from the close key: its value plus {@code delta}. */
  private FieldVector derived(int[] list, int n, long delta) {
    FieldVector v = io.freshet.exec.expr.Vectors.allocate(TypeKind.TIMESTAMP, n, allocator);
    io.freshet.exec.expr.Vectors.setAllValid(v, n);
    long data = io.freshet.exec.expr.Vectors.data(v);
    for (int i = 0; i < n; i++) {
      org.apache.arrow.memory.util.MemoryUtil.putLong(data + ((long) i << 3), table.longValue(closeStored, list[i])
          + delta);
    }
    v.setValueCount(n);
    return v;
  }

  /** Removes {@code closed} (ascending), remembering their keys for the next state delta. */
  private void evict(int[] closed) {
    int[] known = new int[closed.length];
    int n = 0;
    for (int g : closed) {
      if (persisted[g]) {
        known[n++] = g;
      }
    }
    if (n > 0) {
      List<FieldVector> keys = new ArrayList<>();
      for (int k = 0; k < stored.length; k++) {
        keys.add(table.toVector(k, known, n, allocator));
      }
      pendingDeletes.add(keys);
    }
    removeGroups(closed);
  }

  private void removeGroups(int[] removed) {
    int size = table.size();
    ensureGroupArrays(size);
    boolean[] gone = new boolean[size];
    for (int g : removed) {
      gone[g] = true;
    }
    int[] survivors = new int[size - removed.length];
    int[] renumber = new int[size];
    int n = 0;
    for (int g = 0; g < size; g++) {
      if (gone[g]) {
        renumber[g] = -1;
      } else {
        renumber[g] = n;
        survivors[n++] = g;
      }
    }
    table.compact(survivors, n);
    for (Accumulator a : accumulators) {
      a.compact(survivors, n);
      a.ensureCapacity(n);
    }
    boolean[] newDirty = new boolean[Math.max(16, n)];
    int[] newList = new int[newDirty.length];
    boolean[] newPersisted = new boolean[newDirty.length];
    for (int i = 0; i < n; i++) {
      newPersisted[i] = persisted[survivors[i]];
    }
    persisted = newPersisted;
    int d = 0;
    for (int i = 0; i < dirtyCount; i++) {
      int g = renumber[dirtyList[i]];
      if (g >= 0) {
        newDirty[g] = true;
        newList[d++] = g;
      }
    }
    dirty = newDirty;
    dirtyList = newList;
    dirtyCount = d;
    minClose = Long.MAX_VALUE;
    if (spec.windowed()) {
      for (int g = 0; g < n; g++) {
        minClose = Math.min(minClose, closeTime(g));
      }
    }
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    if (rocks != null) {
      storeAll();
      rocks.checkpoint(version);
      removeGroups(range(0, table.size()));
      for (int i = 0; i < dirty.length; i++) {
        dirty[i] = false;
      }
      dirtyCount = 0;
      return;
    }
    boolean snapshot = store.snapshotDue(version);
    List<VectorSchemaRoot> sections = new ArrayList<>();
    try {
      int[] upserts;
      if (snapshot) {
        upserts = new int[table.size()];
        for (int g = 0; g < upserts.length; g++) {
          upserts[g] = g;
        }
      } else {
        upserts = Arrays.copyOf(dirtyList, dirtyCount);
        Arrays.sort(upserts);
      }
      sections.add(upsertSection(upserts));
      if (!snapshot) {
        for (List<FieldVector> keys : pendingDeletes) {
          sections.add(keySection(DELETE, keys, keys.get(0).getValueCount(), -1, null));
        }
      }
      for (int a = 0; a < accumulators.length; a++) {
        if (accumulators[a] instanceof DistinctCount d) {
          int[] entries = d.entries(snapshot);
          int[] owners = new int[entries.length];
          for (int i = 0; i < entries.length; i++) {
            owners[i] = d.groupOf(entries[i]);
          }
          List<FieldVector> keys = new ArrayList<>();
          Owned.orClose(keys, () -> {
            for (int k = 0; k < stored.length; k++) {
              keys.add(table.toVector(k, owners, owners.length, allocator));
            }
          });
          sections.add(keySection(DISTINCT + a, keys, entries.length, a, d.values(entries, allocator)));
        }
      }
      store.write(version, snapshot, sections);
    } finally {
      sections.forEach(VectorSchemaRoot::close);
    }
    for (int i = 0; i < dirtyCount; i++) {
      dirty[dirtyList[i]] = false;
    }
    dirtyCount = 0;
    Arrays.fill(persisted, 0, table.size(), true);
    clearPendingDeletes();
    for (Accumulator a : accumulators) {
      if (a instanceof DistinctCount d) {
        d.markCommitted();
      }
    }
  }

  private VectorSchemaRoot upsertSection(int[] list) {
    int n = list.length;
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      vectors.add(kinds(UPSERT, n));
      for (int k = 0; k < stored.length; k++) {
        vectors.add(table.toVector(k, list, n, allocator));
      }
      for (int a = 0; a < accumulators.length; a++) {
        vectors.addAll(accumulators[a].writeState(list, n, allocator));
        if (accumulators[a] instanceof DistinctCount) {
          vectors.add(nulls(stateSchema.getFields().get(vectors.size()), n));
        }
      }
    });
    return root(vectors, n);
  }

  /** A section of key rows: deletes, or the distinct values of aggregate {@code distinctOf} in {@code values}. */
  /**
   * A section of key rows: deletes, or the distinct values of aggregate {@code distinctOf} in {@code values}. It
   * takes over {@code keys} and {@code values}.
   */
  private VectorSchemaRoot keySection(int kind, List<FieldVector> keys, int n, int distinctOf, FieldVector values) {
    List<FieldVector> owned = new ArrayList<>(keys);
    if (values != null) {
      owned.add(values);
    }
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(owned, () -> {
      vectors.add(kinds(kind, n));
      owned.add(vectors.get(0));
      vectors.addAll(keys);
      for (int a = 0; a < accumulators.length; a++) {
        for (int s = 0; s < accumulators[a].stateFields("").size(); s++) {
          vectors.add(nulls(stateSchema.getFields().get(vectors.size()), n));
          owned.add(vectors.get(vectors.size() - 1));
        }
        if (accumulators[a] instanceof DistinctCount) {
          vectors.add(a == distinctOf ? values : nulls(stateSchema.getFields().get(vectors.size()), n));
          if (a != distinctOf) {
            owned.add(vectors.get(vectors.size() - 1));
          }
        }
      }
    });
    return root(vectors, n);
  }

  private VectorSchemaRoot root(List<FieldVector> vectors, int n) {
    // Takes over {@code vectors}: each is moved into a vector named as the state schema names it.
    List<FieldVector> named = new ArrayList<>();
    List<FieldVector> all = new ArrayList<>(vectors);
    Owned.orClose(all, () -> {
      for (int i = 0; i < vectors.size(); i++) {
        FieldVector v = vectors.get(i);
        Field field = stateSchema.getFields().get(i);
        org.apache.arrow.vector.util.TransferPair pair = v.getTransferPair(field, allocator);
        all.add((FieldVector) pair.getTo());
        pair.transfer();
        v.close();
        named.add((FieldVector) pair.getTo());
      }
    });
    VectorSchemaRoot root = new VectorSchemaRoot(stateSchema.getFields(), named, n);
    root.setRowCount(n);
    return root;
  }

  private IntVector kinds(int kind, int n) {
    IntVector v = new IntVector("kind", allocator);
    v.allocateNew(Math.max(n, 1));
    for (int i = 0; i < n; i++) {
      v.set(i, kind);
    }
    v.setValueCount(n);
    return v;
  }

  private FieldVector nulls(Field field, int n) {
    FieldVector v = field.createVector(allocator);
    v.setInitialCapacity(Math.max(n, 1));
    v.allocateNew();
    v.setValueCount(n);
    return v;
  }

  /** After the row kind, the stored keys. */
  @Override
  public int[] stateKeyColumns() {
    return rocksDb ? null : java.util.stream.IntStream.rangeClosed(1, stored.length).toArray();
  }

  @Override
  public void restoreState(StateStore store, long version) {
    if (rocksDb) {
      if (rocks == null) {
        rocks = new io.freshet.exec.state.RocksDbState(store.directory(), name() + " " + spec);
      }
      rocks.restore(version);
      return;
    }
    if (version < 0) {
      return;
    }
    store.restore(version, stateSchema, this::apply);
    int size = Math.max(16, table.size());
    dirty = new boolean[size];
    dirtyList = new int[size];
    dirtyCount = 0;
    persisted = new boolean[size];
    Arrays.fill(persisted, 0, table.size(), true);
    minClose = Long.MAX_VALUE;
    if (spec.windowed()) {
      for (int g = 0; g < table.size(); g++) {
        minClose = Math.min(minClose, closeTime(g));
      }
    }
  }

  private void apply(VectorSchemaRoot root) {
    int n = root.getRowCount();
    if (n == 0) {
      return;
    }
    int kind = ((IntVector) root.getVector(0)).get(0);
    FieldVector[] keys = new FieldVector[stored.length];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = root.getVector(1 + k);
    }
    if (kind == DELETE) {
      int[] found = new int[n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        int g = table.find(keys, i);
        if (g >= 0) {
          found[m++] = g;
        }
      }
      int[] removed = Arrays.stream(found, 0, m).distinct().sorted().toArray();
      removeGroups(removed);
      return;
    }
    int[] owners = new int[n];
    table.findOrInsert(keys, n, owners);
    int column = 1 + keys.length;
    for (int a = 0; a < accumulators.length; a++) {
      Accumulator acc = accumulators[a];
      acc.ensureCapacity(table.size());
      int width = acc.stateFields("").size();
      List<FieldVector> state = new ArrayList<>();
      for (int s = 0; s < width; s++) {
        state.add(root.getVector(column + s));
      }
      column += width;
      if (kind == UPSERT) {
        for (int i = 0; i < n; i++) {
          acc.readState(state, i, owners[i]);
        }
      }
      if (acc instanceof DistinctCount d) {
        if (kind == DISTINCT + a) {
          int[] sel = new int[n];
          for (int i = 0; i < n; i++) {
            sel[i] = i;
          }
          d.restore(owners, root.getVector(column), sel, n);
        }
        column++;
      }
    }
  }

  private void clearPendingDeletes() {
    for (List<FieldVector> keys : pendingDeletes) {
      keys.forEach(FieldVector::close);
    }
    pendingDeletes.clear();
  }

  @Override
  public StateOperatorProgress progress() {
    long bytes = table.bytes();
    for (Accumulator a : accumulators) {
      bytes += a.bytes();
    }
    if (rocks != null) {
      return new StateOperatorProgress(name(), rocks.estimatedKeys(), updatedInBatch, bytes + rocks.memoryBytes(),
          droppedInBatch);
    }
    return new StateOperatorProgress(name(), table.size(), updatedInBatch, bytes, droppedInBatch);
  }

  @Override
  public void close() {
    if (rocks != null) {
      rocks.close();
      rocks = null;
    }
    clearPendingDeletes();
  }
}
