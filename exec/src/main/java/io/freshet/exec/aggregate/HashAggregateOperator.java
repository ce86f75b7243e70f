package io.freshet.exec.aggregate;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.operator.Combiner;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * GROUP BY with aggregates, over windows or not. Each input batch is hashed to group ids column by column and
 * every aggregate folds the batch into its primitive arrays. What the operator emits at the end of a micro-batch
 * depends on {@link Emit}: the groups whose window the watermark closed (append, and a windowed aggregation that
 * feeds another stateful operator), a changelog of the groups changed in this batch (update, and an unbounded
 * aggregation that feeds another; see {@link AggregateChangelog}) or all groups (complete). Over a changelog
 * input, the -U and -D rows are taken back out of their groups, and a group left without rows is deleted. A windowed
 * group is evicted once the watermark passes its window's end, except in complete mode, which keeps every group.
 * The operator wires its parts together: {@link GroupedAggregation} holds the groups and what changed since the
 * checkpoint, {@link GroupEvictor} finds the groups whose window closed, {@link AggregateOutput} builds the rows
 * of a list of groups, {@link AggregateStateCodec} writes and reads the checkpoint, and {@link RocksDbGroups}
 * keeps the groups (and the values COUNT(DISTINCT ...) has seen) in RocksDB when the context asks for it.
 */
public final class HashAggregateOperator implements StatefulOperator, Combiner.Target {

  /**
   * What a micro-batch emits: the groups whose window closed ({@code ON_CLOSE}), a changelog of the groups it changed
   * ({@code UPDATES}), every group ({@code COMPLETE}), or, for an aggregation without aggregate functions over an
   * insert-only input (SELECT DISTINCT), each group once, in the micro-batch that first sees it ({@code FIRST}): such
   * a group's row never changes, so the output is insert-only.
   */
  public enum Emit { ON_CLOSE, UPDATES, COMPLETE, FIRST }

  /**
   * The plan-time description.
   *
   * @param keys the grouping columns of the input, in output order
   * @param closeKey the index in {@code keys} of the column that closes a group (a window end or start), or -1
   *     for an unbounded aggregation
   * @param closeOffsetMs added to the close key's value to get the time at which the group's window closes
   * @param derivedFromClose per key, {@link #NOT_DERIVED} or the difference between its value and the close
   *     key's (window_start is window_end minus the size): such keys are not hashed or stored, only computed
   * @param changelogInput whether its input is a changelog, whose -U and -D rows it takes back out of their group
   * @param slices for a hopping window whose size is a multiple of its slide, null otherwise: its groups are slices
   *     of one slide, each holding the rows of its slice once instead of once per window ({@link HopSlices})
   */
  public record Spec(int[] keys, List<AggregateCall> calls, RowSchema outputSchema, int closeKey, long closeOffsetMs,
      Emit emit, long[] derivedFromClose, boolean changelogInput, HopSlices slices) implements OperatorFactory {
    public Spec {
      keys = keys.clone();
      calls = List.copyOf(calls);
      if (derivedFromClose == null) {
        derivedFromClose = new long[keys.length];
        Arrays.fill(derivedFromClose, NOT_DERIVED);
      }
      derivedFromClose = derivedFromClose.clone();
    }

    public Spec(int[] keys, List<AggregateCall> calls, RowSchema outputSchema, int closeKey, long closeOffsetMs,
        Emit emit, long[] derivedFromClose) {
      this(keys, calls, outputSchema, closeKey, closeOffsetMs, emit, derivedFromClose, false, null);
    }

    public Spec(int[] keys, List<AggregateCall> calls, RowSchema outputSchema, int closeKey, long closeOffsetMs,
        Emit emit) {
      this(keys, calls, outputSchema, closeKey, closeOffsetMs, emit, null, false, null);
    }

    public Spec withEmit(Emit newEmit) {
      return new Spec(keys, calls, outputSchema, closeKey, closeOffsetMs, newEmit, derivedFromClose, changelogInput,
          slices);
    }

    /** This aggregation keeping its groups as slices of a hopping window ({@link HopSlices}). */
    public Spec sliced(HopSlices hop) {
      return new Spec(keys, calls, outputSchema, closeKey, closeOffsetMs, emit, derivedFromClose, changelogInput, hop);
    }

    /**
     * Whether its groups can be kept as slices of a hopping window: emitted when windows close, over an insert-only
     * input, with aggregates whose partial states merge exactly (as before an exchange, {@link PartialAggregation}).
     */
    public boolean sliceable() {
      return windowed() && emit == Emit.ON_CLOSE && !changelogInput && slices == null
          && PartialAggregation.mergesExactly(calls);
    }

    /**
     * This aggregation reading a changelog: every call must be {@link AggregateCall#retractable()}. A group of a
     * changelog may lose its rows again, so {@link Emit#FIRST} becomes a changelog of its own ({@link Emit#UPDATES}).
     */
    public Spec overChangelog() {
      return new Spec(keys, calls, outputSchema, closeKey, closeOffsetMs, emit == Emit.FIRST ? Emit.UPDATES : emit,
          derivedFromClose, true, slices);
    }

    /**
     * Whether it keeps a count of the rows in each group: to tell an update from an insert when it emits changes
     * (or, with {@link Emit#FIRST}, a group seen before from a new one), and to delete a group whose rows were all
     * taken back.
     */
    public boolean countsRows() {
      return emit == Emit.UPDATES || emit == Emit.FIRST || changelogInput;
    }

    /**
     * Whether it is a SELECT DISTINCT: grouping without aggregate functions and without a window, over an insert-only
     * input, whose groups can be emitted once when first seen ({@link Emit#FIRST}).
     */
    public boolean distinctRows() {
      return calls.isEmpty() && !windowed() && !changelogInput;
    }

    public boolean windowed() {
      return closeKey >= 0;
    }

    /** The operator for one partition; its groups live where the context's state backend keeps state. */
    @Override
    public HashAggregateOperator create(OperatorContext context) {
      return new HashAggregateOperator(this, context.allocator(), context.lateRows(), context.stateBackend());
    }

    /** Partial aggregates in each sending partition, unless over a changelog or with a distinct count. */
    @Override
    public Combiner combiner(BufferAllocator allocator) {
      return PartialAggregation.of(this, allocator);
    }

    @Override
    public String kind() {
      return "aggregate";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    /**
     * Final rows when windows close, the whole table in complete mode; otherwise a changelog: each changed group's
     * earlier row taken back (-U, or -D when no rows are left in it) and its new row added (+U, or +I when new).
     */
    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return emit == Emit.UPDATES ? ChangelogMode.RETRACT : ChangelogMode.INSERT_ONLY;
    }

    /** Its GROUP BY columns, the first of its output, where its rows change (update and complete mode). */
    @Override
    public int[] upsertKey(List<int[]> inputKeys) {
      return emit == Emit.ON_CLOSE || emit == Emit.FIRST ? null
          : java.util.stream.IntStream.range(0, keys.length).toArray();
    }

    @Override
    public String describe() {
      return describe(Integer::toString, i -> "$" + i);
    }

    @Override
    public String describe(IntFunction<String> column) {
      return describe(column, column);
    }

    private String describe(IntFunction<String> key, IntFunction<String> ref) {
      StringBuilder sb = new StringBuilder(windowed() ? "WindowAggregate" : "Aggregate");
      sb.append("(keys=").append(Arrays.stream(keys).mapToObj(key).toList()).append(", aggregates=")
          .append(calls.stream().map(c -> c.toString(ref)).toList());
      if (windowed()) {
        sb.append(", closes at key ").append(closeKey).append(closeOffsetMs == 0 ? "" : " + " + closeOffsetMs + " ms");
        for (int k = 0; k < keys.length; k++) {
          if (derivedFromClose[k] != NOT_DERIVED) {
            sb.append(", key ").append(k).append(" = key ").append(closeKey).append(derivedFromClose[k] < 0 ? " - "
                : " + ").append(Math.abs(derivedFromClose[k])).append(" ms");
          }
        }
      }
      if (slices != null) {
        sb.append(", ").append(slices);
      }
      return sb.append(", emit=").append(emit).append(changelogInput ? ", retracts" : "").append(')').toString();
    }
  }

  /** A key that is stored, not computed from the close key. */
  public static final long NOT_DERIVED = Long.MIN_VALUE;

  private final Spec spec;
  private final BufferAllocator allocator;
  private final LateRows late;
  private final GroupedAggregation grouped;
  private final GroupEvictor evictor;
  private final AggregateOutput output;
  private final AggregateStateCodec codec;
  /** The changelog of update mode, or null in the other modes. */
  private final AggregateChangelog changelog;
  /** Where groups live: on the heap, or in a key-value state ({@link RocksDbGroups}) that {@link #restoreState} opens. */
  private final StateBackend backend;
  private final boolean rocksDb;
  private RocksDbGroups rocks;
  /** Restores the RocksDB state, from the partition's own checkpoint or gathered from the previous layout's. */
  private final KeyValueRestore restore = new KeyValueRestore();
  /** The windows of a hopping window whose groups are slices, or null. */
  private final HopWindows hopWindows;
  /** The watermark the micro-batch started with: the windows that close at or before it were emitted before. */
  private long startWatermark = Long.MIN_VALUE;
  private long updatedInBatch;
  private long droppedInBatch;

  private HashAggregateOperator(Spec spec, BufferAllocator allocator, LateRows late, StateBackend backend) {
    this.spec = spec;
    this.backend = backend;
    this.rocksDb = backend.pagesToDisk();
    this.allocator = allocator;
    this.late = late;
    this.grouped = new GroupedAggregation(spec, allocator);
    this.evictor = new GroupEvictor(spec, grouped);
    this.output = new AggregateOutput(spec, grouped, allocator);
    this.codec = new AggregateStateCodec(grouped, allocator);
    this.changelog = spec.emit() == Emit.UPDATES || spec.emit() == Emit.FIRST
        ? new AggregateChangelog(grouped, output, allocator, spec.emit() == Emit.FIRST) : null;
    if (spec.slices() != null && (rocksDb || spec.emit() != Emit.ON_CLOSE || spec.changelogInput())) {
      throw new IllegalStateException("slices of a hopping window are emitted when windows close, from the heap: "
          + spec.describe());
    }
    this.hopWindows = spec.slices() == null ? null : new HopWindows(spec, grouped, allocator);
  }

  @Override
  public void startBatch(long watermarkMs) {
    this.startWatermark = watermarkMs;
  }

  @Override
  public String name() {
    return spec.windowed() ? "WindowAggregate" : "Aggregate";
  }

  @Override
  public List<Batch> process(Batch input) {
    if (input.rowCount() == 0) {
      return List.of();
    }
    if (!RowKind.present(input)) {
      fold(input, false);
      return List.of();
    }
    for (boolean retract : new boolean[] {true, false}) {
      try (Batch rows = RowKind.select(input, k -> RowKind.retracts(k) == retract, true, allocator)) {
        if (rows != null) {
          fold(rows, retract);
        }
      }
    }
    return List.of();
  }

  /** Folds the rows of {@code rows} into their groups, or takes them back out when {@code retract}. */
  private void fold(Batch rows, boolean retract) {
    int before = grouped.size();
    grouped.findGroups(rows);
    touched(before, rows.rowCount());
    grouped.accumulate(rows, retract);
    evictor.added(before);
  }

  /** Merges partial aggregates from the partitions that sent them ({@link PartialAggregation}) into the groups. */
  @Override
  public List<Batch> processCombined(Batch partial) {
    int n = partial.rowCount();
    if (n == 0) {
      return List.of();
    }
    int before = grouped.size();
    FieldVector[] keys = new FieldVector[grouped.keyCount()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = partial.vector(k);
    }
    grouped.findGroups(keys, n);
    touched(before, n);
    grouped.mergePartials(partial);
    evictor.added(before);
    return List.of();
  }

  /** The groups of the {@code n} rows just found are about to change: load new ones, keep their earlier rows. */
  private void touched(int before, int n) {
    if (rocks != null && grouped.size() > before) {
      rocks.load(before, grouped.size());
    }
    if (changelog != null) {
      changelog.touch(grouped.groups(), n);
    }
  }

  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    droppedInBatch = late == null ? 0 : late.take();
    updatedInBatch = grouped.changedCount();
    List<Batch> out = new ArrayList<>();
    try {
      emit(watermarkMs, out);
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  /** Adds the micro-batch's output to {@code out} and forgets what it closed or emptied. */
  private void emit(long watermarkMs, List<Batch> out) {
    if (rocks != null && spec.windowed()) {
      // In RocksDB the windows are found by their close time, the first keys in order.
      switch (spec.emit()) {
        case ON_CLOSE -> rocks.closeWindows(watermarkMs, out, true);
        case UPDATES -> {
          changelog.finish(out);
          rocks.closeWindows(watermarkMs, out, false);
        }
        case COMPLETE -> rocks.emitAll(out);
      }
      return;
    }
    int[] closed = evictor.closed(watermarkMs);
    int[] empty = new int[0];
    switch (spec.emit()) {
      case ON_CLOSE -> {
        if (hopWindows != null) {
          hopWindows.emit(startWatermark, watermarkMs, out);
        } else {
          output.emit(closed, out);
        }
      }
      case UPDATES, FIRST -> empty = changelog.finish(out);
      case COMPLETE -> {
        if (rocks != null) {
          rocks.emitAll(out);
        } else {
          int[] emptied = emptied(grouped.changed());
          if (emptied.length > 0) {
            grouped.evict(emptied);
          }
          output.emit(grouped.all(), out);
        }
      }
    }
    if (spec.emit() == Emit.COMPLETE) {
      return;
    }
    // A group in RocksDB whose rows were all taken back is deleted there at the checkpoint.
    int[] removed = union(closed, rocks != null ? new int[0] : empty);
    if (removed.length > 0) {
      evictor.evict(removed);
    }
  }

  /** Those of {@code groups} (ascending) whose rows were all taken back, when the input is a changelog. */
  private int[] emptied(int[] groups) {
    if (!spec.changelogInput()) {
      return new int[0];
    }
    return Arrays.stream(groups).filter(g -> grouped.rows(g) <= 0).toArray();
  }

  /** The groups in either ascending list, ascending. */
  private static int[] union(int[] a, int[] b) {
    if (b.length == 0) {
      return a;
    }
    return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b)).sorted().distinct().toArray();
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    if (rocks != null) {
      rocks.checkpoint(version);
      return;
    }
    codec.commit(store, version);
  }

  /** After the row kind, the stored keys; in RocksDB, the keys decoded from each entry's key. */
  @Override
  public int[] stateKeyColumns() {
    return rocksDb ? java.util.stream.IntStream.range(0, grouped.keyCount()).toArray() : codec.keyColumns();
  }

  /**
   * Restores from the partition's own directory, or, after a change in the number of partitions, from each store of
   * the previous layout that holds some of its keys: in RocksDB, into an empty database of its own.
   */
  @Override
  public void restoreState(StateStore store, long version) {
    if (rocksDb) {
      if (rocks == null) {
        boolean distinct = spec.calls().stream().anyMatch(c -> c.kind() == AggregateCall.Kind.COUNT_DISTINCT);
        KeyValueState groups = backend.open(store.home(), spec.describe());
        try {
          rocks = new RocksDbGroups(groups, distinct ? backend.open(store.home().resolve("distinct"),
              spec.describe() + " (distinct values)") : null, spec, grouped, output, codec, allocator);
        } catch (RuntimeException | Error e) {
          groups.close();
          throw e;
        }
      }
      restore.restore(rocks, store, version);
      return;
    }
    if (version < 0) {
      return;
    }
    codec.restore(store, version);
    evictor.recompute();
  }

  @Override
  public long heapStateBytes() {
    return grouped.bytes();
  }

  @Override
  public StateOperatorProgress progress() {
    long bytes = grouped.bytes();
    if (rocks != null) {
      return new StateOperatorProgress(name(), rocks.estimatedKeys(), updatedInBatch, bytes + rocks.memoryBytes(),
          droppedInBatch);
    }
    return new StateOperatorProgress(name(), grouped.size(), updatedInBatch, bytes, droppedInBatch);
  }

  @Override
  public void close() {
    if (rocks != null) {
      rocks.close();
      rocks = null;
    }
    grouped.clearPendingDeletes();
    if (changelog != null) {
      changelog.close();
    }
  }
}
