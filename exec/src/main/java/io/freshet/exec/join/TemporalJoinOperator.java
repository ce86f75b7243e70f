package io.freshet.exec.join;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Predicate;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;

/**
 * The event-time temporal join, Flink's {@code JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency =
 * r.currency}: each row of the left stream is joined with the version of its key that was in force at its event
 * time, in the right input, a versioned table (a stream whose rows are upserts of its primary key, each the key's
 * version from its own event time on). A left row waits until the watermark passes its time, since a version of
 * that time or before could still come; then it is joined with the latest version of its key not after its time,
 * or, in a LEFT join, emitted with nulls when there is none (or the condition rejects it). The output is
 * append-only and keeps the left row's time, which the watermark has not passed when the row is emitted.
 *
 * <p>State, as a sorted map ({@link JoinState}): a waiting left row under {@code [1][key][time][seq]}, a version
 * under {@code [2][key][time][seq]}, each with the value {@code [0][time][row]}, and index entries
 * {@code [3 + side][time][key][time][seq]} in order of time. A version goes once a newer version of its key is
 * older than the watermark: no left row still to come can need it. Rows older than the watermark are late:
 * dropped and counted.
 */
public final class TemporalJoinOperator implements StatefulOperator {

  /**
   * The plan-time description. The output is the left input's columns then the right's.
   *
   * @param type INNER or LEFT
   * @param leftKeys the left columns equal to the versioned table's primary key, {@code rightKeys}
   * @param leftTime the left column whose time picks the version ({@code AS OF})
   * @param rightTime the versioned table's event-time column, from which each version is in force
   * @param condition what a row and its version must also satisfy, over the left columns then the right's; null
   *     for none
   */
  public record Spec(JoinType type, RowSchema left, RowSchema right, int[] leftKeys, int[] rightKeys, int leftTime,
      int rightTime, Expr condition) implements OperatorFactory {
    public Spec {
      leftKeys = leftKeys.clone();
      rightKeys = rightKeys.clone();
    }

    @Override
    public TemporalJoinOperator create(OperatorContext context) {
      return new TemporalJoinOperator(this, context);
    }

    @Override
    public String kind() {
      return "temporal join";
    }

    @Override
    public int inputCount() {
      return 2;
    }

    @Override
    public boolean stateful() {
      return true;
    }

    @Override
    public boolean concatenatesInputs() {
      return true;
    }

    @Override
    public RowSchema outputSchema() {
      List<Column> columns = new ArrayList<>(left.columns());
      for (Column c : right.columns()) {
        columns.add(type == JoinType.LEFT ? new Column(c.name(), c.type(), true) : c);
      }
      return new RowSchema(columns);
    }

    int[] keys(int side) {
      return side == 0 ? leftKeys : rightKeys;
    }

    /** The primary key's columns, as the right input has them. */
    RowSchema keySchema() {
      return new RowSchema(Arrays.stream(rightKeys).mapToObj(right::column).toList());
    }

    @Override
    public String describe() {
      return describe(i -> "$" + i);
    }

    @Override
    public String describe(IntFunction<String> column) {
      int width = left.size();
      StringBuilder keys = new StringBuilder();
      for (int k = 0; k < leftKeys.length; k++) {
        keys.append(k == 0 ? "" : ", ").append(column.apply(leftKeys[k])).append(" = ")
            .append(column.apply(width + rightKeys[k]));
      }
      return "TemporalJoin(" + type.label() + ", keys=[" + keys + "], as of=" + column.apply(leftTime)
          + ", versions by=" + column.apply(width + rightTime)
          + (condition == null ? "" : ", condition=[" + Expr.render(condition, column) + "]") + ")";
    }
  }

  private final Spec spec;
  private final BufferAllocator allocator;
  private final LateRows lateRows;
  private final JoinState state;
  private final Predicate condition;
  private final JoinRows batches;
  private final TypeKind[] keyTypes;
  private final ByteSink scratch = new ByteSink();
  /** Waiting left rows and kept versions. */
  private final KeptRows keptRows;
  /** Per side, a time below which no index entry is left, where the next scan of the index starts. */
  private final long[] scannedBelow = {Long.MIN_VALUE, Long.MIN_VALUE};
  private long watermark = Long.MIN_VALUE;
  private long updated;
  private long reportedUpdated;
  private long reportedDropped;

  private TemporalJoinOperator(Spec spec, OperatorContext context) {
    this.spec = spec;
    this.allocator = context.allocator();
    this.lateRows = context.lateRows();
    this.condition = spec.condition() == null ? null : Predicate.compile(spec.condition());
    this.batches = new JoinRows(spec.left(), spec.right(), spec.outputSchema(), false, allocator);
    this.keyTypes = Arrays.stream(spec.rightKeys()).mapToObj(spec.right()::type).toArray(TypeKind[]::new);
    byte[] rowTags = {1, 2};
    this.state = context.stateBackend().pagesToDisk()
        ? new KeyValueJoinState(context.stateBackend(), "TemporalJoin " + spec.describe(), spec.keySchema(), rowTags)
        : new HeapJoinState(spec.keySchema(), rowTags, allocator);
    this.keptRows = new KeptRows(state);
  }

  @Override
  public String name() {
    return "TemporalJoin";
  }

  @Override
  public void startBatch(long watermarkMs) {
    this.watermark = watermarkMs;
  }

  @Override
  public List<Batch> process(Batch input) {
    return process(0, input);
  }

  /**
   * Keeps each left row until the watermark passes its time, and each version of the right side until a newer one
   * of its key is older than the watermark; rows older than the watermark are late, dropped and counted. A LEFT
   * join emits at once, with nulls, a left row that cannot have a version (a null key or time); a version with a
   * null key or time is of nothing and is dropped.
   */
  @Override
  public List<Batch> process(int side, Batch input) {
    int n = input.rowCount();
    int[] keys = spec.keys(side);
    TimeStampMilliVector time = (TimeStampMilliVector) input.vector(side == 0 ? spec.leftTime() : spec.rightTime());
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < input.columnCount(); c++) {
      vectors.add(input.vector(c));
    }
    int[] unmatchable = new int[n];
    int unmatchableCount = 0;
    int late = 0;
    for (int r = 0; r < n; r++) {
      if (!time.isNull(r) && time.get(r) < watermark) {
        late++;
      } else if (time.isNull(r) || anyNull(input, keys, r)) {
        // A row without a time or key: a version of no key from no time (dropped), or a row no version is for.
        unmatchable[unmatchableCount++] = r;
      } else {
        keep(side, input, keys, vectors, r, time.get(r));
      }
    }
    lateRows.add(late);
    if (side == 0 && spec.type() == JoinType.LEFT && unmatchableCount > 0) {
      return List.of(batches.padded(0, input, unmatchable, unmatchableCount));
    }
    return List.of();
  }

  private static boolean anyNull(Batch input, int[] keys, int row) {
    for (int k : keys) {
      if (input.vector(k).isNull(row)) {
        return true;
      }
    }
    return false;
  }

  /** Keeps row {@code row} of side {@code side}, of time {@code time}, and its index entry. */
  private void keep(int side, Batch input, int[] keys, List<FieldVector> vectors, int row, long time) {
    scratch.clear();
    scratch.put((byte) (1 + side));
    for (int k = 0; k < keys.length; k++) {
      OrderedBytes.put(scratch, input.vector(keys[k]), keyTypes[k], row, false);
    }
    OrderedBytes.putLong(scratch, time);
    OrderedBytes.putLong(scratch, keptRows.next());
    byte[] rowKey = OrderedBytes.bytes(scratch);
    scratch.clear();
    scratch.put((byte) 0);
    OrderedBytes.putLong(scratch, time);
    KeyValueState.encode(vectors, row, scratch);
    state.put(rowKey, OrderedBytes.bytes(scratch));
    state.put(JoinKeys.indexKey(side, time, rowKey), JoinKeys.EMPTY);
    scannedBelow[side] = Math.min(scannedBelow[side], time);
    keptRows.added(side);
    updated++;
  }

  /**
   * The left rows older than {@code watermarkMs} are complete, since no version of their time can still come:
   * each is joined with its version and emitted. Then the versions that a newer version older than the watermark
   * replaces go.
   */
  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    List<byte[]> waiting = due(0, watermarkMs);
    List<byte[]> lefts = new ArrayList<>(waiting.size());
    List<byte[]> versions = new ArrayList<>(waiting.size());
    for (byte[] index : waiting) {
      byte[] rowKey = rowKey(0, index);
      lefts.add(state.get(rowKey));
      versions.add(version(rowKey));
      state.delete(rowKey);
      keptRows.removed(0);
    }
    forget(0, watermarkMs);
    for (byte[] index : due(1, watermarkMs)) {
      dropOlderVersions(rowKey(1, index));
    }
    forget(1, watermarkMs);
    Batch joined = lefts.isEmpty() ? null : joined(lefts, versions);
    return joined == null ? List.of() : List.of(joined);
  }

  /** The index entries of side {@code side} older than {@code watermarkMs}, in order of time. */
  private List<byte[]> due(int side, long watermarkMs) {
    List<byte[]> due = new ArrayList<>();
    byte[] tag = {(byte) (3 + side)};
    state.scanFrom(JoinKeys.withTime(tag, scannedBelow[side]), tag, (k, v) -> {
      if (OrderedBytes.getLong(k, 1) >= watermarkMs) {
        return false;
      }
      due.add(k);
      return true;
    });
    return due;
  }

  /** Deletes side {@code side}'s index entries older than {@code watermarkMs} (which the caller has handled). */
  private void forget(int side, long watermarkMs) {
    byte[] tag = {(byte) (3 + side)};
    if (scannedBelow[side] < watermarkMs) {
      state.deleteRange(JoinKeys.withTime(tag, scannedBelow[side]), JoinKeys.withTime(tag, watermarkMs));
      scannedBelow[side] = watermarkMs;
    }
  }

  /** The row key {@code [1 + side][key][time][seq]} of index entry {@code [3 + side][time][key][time][seq]}. */
  private static byte[] rowKey(int side, byte[] index) {
    byte[] rowKey = new byte[index.length - 8];
    rowKey[0] = (byte) (1 + side);
    System.arraycopy(index, 9, rowKey, 1, index.length - 9);
    return rowKey;
  }

  /** The latest version ({@code [0][time][row]}) of the key of left row {@code leftKey} not after its time, or null. */
  private byte[] version(byte[] leftKey) {
    byte[] prefix = Arrays.copyOf(leftKey, leftKey.length - 16);
    prefix[0] = 2;
    long time = OrderedBytes.getLong(leftKey, leftKey.length - 16);
    byte[][] found = {null};
    state.scanPrefix(prefix, (k, v) -> {
      if (OrderedBytes.getLong(k, prefix.length) > time) {
        return false;
      }
      found[0] = v;
      return true;
    });
    return found[0];
  }

  /** Deletes the versions of the key of version {@code versionKey} before it: it replaces them all. */
  private void dropOlderVersions(byte[] versionKey) {
    byte[] prefix = Arrays.copyOf(versionKey, versionKey.length - 16);
    List<byte[]> older = new ArrayList<>();
    state.scanPrefix(prefix, (k, v) -> {
      if (Arrays.compareUnsigned(k, versionKey) >= 0) {
        return false;
      }
      older.add(k);
      return true;
    });
    for (byte[] k : older) {
      state.delete(k);
      keptRows.removed(1);
    }
  }

  /**
   * The left rows {@code lefts} each joined with its version in {@code versions} (null for none): in an INNER join
   * those with a version that meets the condition (null when none has), in a LEFT join all, with nulls where
   * there is none.
   */
  private Batch joined(List<byte[]> lefts, List<byte[]> versions) {
    int count = lefts.size();
    boolean[] matched = new boolean[count];
    for (int i = 0; i < count; i++) {
      matched[i] = versions.get(i) != null;
    }
    Batch joined = batch(lefts, versions, matched);
    if (condition == null && (spec.type() == JoinType.LEFT || all(matched))) {
      return joined;
    }
    int[] selection = new int[count];
    int passed;
    try {
      passed = condition == null ? 0 : condition.apply(EvalContext.all(joined, allocator), selection).count();
    } catch (RuntimeException | Error e) {
      joined.close();
      throw e;
    }
    boolean[] kept = new boolean[count];
    if (condition == null) {
      System.arraycopy(matched, 0, kept, 0, count);
    } else {
      for (int i = 0; i < passed; i++) {
        // A row without a version passes no condition, whatever the condition says of the nulls in its place.
        kept[selection[i]] = matched[selection[i]];
      }
    }
    if (spec.type() == JoinType.INNER) {
      int n = 0;
      for (int i = 0; i < count; i++) {
        if (kept[i]) {
          selection[n++] = i;
        }
      }
      try (joined) {
        return n == 0 ? null : RowKind.rows(joined, selection, n, joined.columnCount(), allocator);
      }
    }
    if (Arrays.equals(kept, matched)) {
      return joined;
    }
    // A LEFT join: a row whose version the condition rejects has nulls instead.
    joined.close();
    return batch(lefts, versions, kept);
  }

  private static boolean all(boolean[] flags) {
    for (boolean f : flags) {
      if (!f) {
        return false;
      }
    }
    return true;
  }

  /** The left rows with their versions where {@code withVersion}, nulls elsewhere. */
  private Batch batch(List<byte[]> lefts, List<byte[]> versions, boolean[] withVersion) {
    FieldVector[] left = batches.decode(spec.left(), lefts);
    FieldVector[] right;
    try {
      List<byte[]> present = new ArrayList<>(versions.size());
      for (int i = 0; i < versions.size(); i++) {
        present.add(withVersion[i] ? versions.get(i) : null);
      }
      right = batches.decode(spec.right(), present);
    } catch (RuntimeException | Error e) {
      JoinRows.closeAll(left);
      throw e;
    }
    return batches.joined(left, right, lefts.size());
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    keptRows.commit(store, version, scratch);
    reportedUpdated = updated;
    reportedDropped = lateRows.take();
    updated = 0;
  }

  /**
   * Restores the kept rows; rows gathered from files (the heap state's checkpoint, or other partitions' after a
   * change in their number) get their index entries again, and the next sequence number follows theirs.
   */
  @Override
  public void restoreState(StateStore store, long version) {
    keptRows.restore(store, version);
    updated = 0;
  }

  /** The primary key's columns, decoded from each row's key when the state moves between partitions. */
  @Override
  public int[] stateKeyColumns() {
    return IntStream.range(0, spec.rightKeys().length).toArray();
  }

  @Override
  public long heapStateBytes() {
    return state.heapBytes();
  }

  @Override
  public StateOperatorProgress progress() {
    return new StateOperatorProgress(name(), keptRows.total(), reportedUpdated, heapStateBytes(), reportedDropped,
        java.util.Map.of());
  }

  @Override
  public void close() {
    state.close();
  }
}
