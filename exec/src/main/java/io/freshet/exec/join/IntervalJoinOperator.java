package io.freshet.exec.join;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Predicate;
import io.freshet.exec.expr.VectorExpr;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
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
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;

/**
 * The interval join of two streams, Flink's and Spark's stream-stream join bounded by event time: rows of the two
 * inputs with equal join keys whose times fall within the bounds of the condition are joined as soon as the later
 * of the two comes. Each side keeps its rows only until the watermark passes the latest time a row of the other
 * side could have to match it ({@code until}, an expression over the row: {@code ts + INTERVAL '10' SECOND}, or a
 * column such as an auction's {@code expires}); then the row goes and, in an outer join, is emitted with nulls if
 * it never matched. Rows older than the watermark in force are late: dropped and counted. A pair is made once,
 * whatever the order its rows come in, so the answer does not depend on how the input is cut into batches.
 *
 * <p>The state of each side is a sorted map ({@link JoinState}): a row under
 * {@code [1 + side][join key][time][seq]} with the value {@code [matched][until][row]}, and an index entry under
 * {@code [3 + side][until][join key][time][seq]}, so that a probe reads the other side's rows of one key (with fixed
 * bounds, only those whose time is in range) and the watermark evicts in order of {@code until}.
 */
public final class IntervalJoinOperator implements StatefulOperator {
  /** The most pairs of candidate rows it decodes and tests at once. */
  private static final int CHUNK = 4096;

  /**
   * The plan-time description. The output is the left input's columns then the right's.
   *
   * @param until per side, the latest event time (a TIMESTAMP expression over that side's columns) of a row of the
   *     other side that can match a row
   * @param condition what a pair must also satisfy, over the left columns then the right's; null for none
   * @param watermarkDelayMs how far the output's times may lag the watermark ({@link #watermarkDelayMs()})
   * @param regular whether this is a join without a time bound (Flink's regular join): rows are kept until the
   *     watermark passes their {@code until} (their time plus {@code state.ttl}, or never), no row is late, and in
   *     an outer join a row without a match is emitted with nulls at once and taken back (-D) when its first match
   *     comes, so the output is a changelog
   * @param lowerMs with {@code upperMs}, when the bounds are fixed: a right row's time is within
   *     {@code [left time + lowerMs, left time + upperMs]} of the left row it matches, so a probe reads only that
   *     range of the other side's rows; null when a bound is read from a column
   */
  public record Spec(JoinType type, RowSchema left, RowSchema right, int[] leftKeys, int[] rightKeys, int leftTime,
      int rightTime, Expr leftUntil, Expr rightUntil, Expr condition, long watermarkDelayMs, Long lowerMs,
      Long upperMs, boolean regular) implements OperatorFactory {
    public Spec {
      leftKeys = leftKeys.clone();
      rightKeys = rightKeys.clone();
    }

    @Override
    public IntervalJoinOperator create(OperatorContext context) {
      return new IntervalJoinOperator(this, context);
    }

    @Override
    public String kind() {
      return "join";
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

    /** An outer join without a time bound takes back the rows it emitted with nulls; the others only add rows. */
    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return changelog() ? ChangelogMode.RETRACT : ChangelogMode.INSERT_ONLY;
    }

    /** Whether its output is a changelog. */
    public boolean changelog() {
      return regular && type != JoinType.INNER;
    }

    /** Whether, without a time bound, it keeps every row for ever (no {@code state.ttl}). */
    public boolean keepsEveryRow() {
      return regular && leftUntil instanceof Expr.Literal;
    }

    @Override
    public long watermarkDelayMs() {
      return watermarkDelayMs;
    }

    @Override
    public RowSchema outputSchema() {
      List<Column> columns = new ArrayList<>();
      for (Column c : left.columns()) {
        columns.add(type.keeps(1) ? new Column(c.name(), c.type(), true) : c);
      }
      for (Column c : right.columns()) {
        columns.add(type.keeps(0) ? new Column(c.name(), c.type(), true) : c);
      }
      return new RowSchema(columns);
    }

    RowSchema schema(int side) {
      return side == 0 ? left : right;
    }

    int[] keys(int side) {
      return side == 0 ? leftKeys : rightKeys;
    }

    /** The join key's columns, as the left input has them. */
    RowSchema keySchema() {
      return new RowSchema(Arrays.stream(leftKeys).mapToObj(left::column).toList());
    }

    @Override
    public String describe() {
      return describe(i -> "$" + i);
    }

    @Override
    public String describe(IntFunction<String> column) {
      int width = left.size();
      IntFunction<String> right = i -> column.apply(width + i);
      StringBuilder keys = new StringBuilder();
      for (int k = 0; k < leftKeys.length; k++) {
        keys.append(k == 0 ? "" : ", ").append(column.apply(leftKeys[k])).append(" = ")
            .append(right.apply(rightKeys[k]));
      }
      return (regular ? "RegularJoin(" : "IntervalJoin(") + type.label() + ", keys=[" + keys + "], left until=["
          + until(leftUntil, column) + "], right until=[" + until(rightUntil, right) + "]"
          + (condition == null ? "" : ", condition=[" + Expr.render(condition, column) + "]") + ")";
    }

    private static String until(Expr until, IntFunction<String> column) {
      return until instanceof Expr.Literal ? "never" : Expr.render(until, column);
    }
  }

  private final Spec spec;
  private final BufferAllocator allocator;
  private final LateRows lateRows;
  private final JoinState state;
  private final VectorExpr[] until = new VectorExpr[2];
  private final Predicate condition;
  private final RowSchema output;
  private final TypeKind[] keyTypes;
  private final ByteSink scratch = new ByteSink();
  private final JoinRows batches;
  private final KeptRows keptRows;
  /**
   * Per side, a time below which no index entry is left: eviction reads from there, not over the deleted entries
   * before it (which in RocksDB would be tombstones to skip each time).
   */
  private final long[] evictedBelow = {Long.MIN_VALUE, Long.MIN_VALUE};
  /** Whether the bounds are fixed, so that a probe reads a range of times ({@link Spec#lowerMs()}). */
  private final boolean ranged;
  private long watermark = Long.MIN_VALUE;
  /** Rows kept in this batch so far, and the figures of the batch last committed. */
  private long updated;
  private long reportedUpdated;
  private long reportedDropped;
  /** Rows dropped from the state as older than the TTL, in this batch and in the one last committed. */
  private long expired;
  private long reportedExpired;

  private IntervalJoinOperator(Spec spec, OperatorContext context) {
    this.spec = spec;
    this.allocator = context.allocator();
    this.lateRows = context.lateRows();
    this.until[0] = VectorExpr.compile(spec.leftUntil());
    this.until[1] = VectorExpr.compile(spec.rightUntil());
    this.condition = spec.condition() == null ? null : Predicate.compile(spec.condition());
    this.output = spec.outputSchema();
    this.batches = new JoinRows(spec.left(), spec.right(), output, spec.changelog(), allocator);
    this.keyTypes = Arrays.stream(spec.leftKeys()).mapToObj(spec.left()::type).toArray(TypeKind[]::new);
    this.ranged = spec.lowerMs() != null && spec.upperMs() != null;
    byte[] rowTags = {1, 2};
    this.state = context.stateBackend().pagesToDisk()
        ? new KeyValueJoinState(context.stateBackend(), "IntervalJoin " + spec.describe(), spec.keySchema(), rowTags)
        : new HeapJoinState(spec.keySchema(), rowTags, allocator);
    this.keptRows = new KeptRows(state);
  }

  @Override
  public String name() {
    return spec.regular() ? "RegularJoin" : "IntervalJoin";
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
   * Probes the other side's rows of each row's key, emits the pairs that meet the condition, and keeps the rows
   * for the rows of the other side still to come.
   */
  @Override
  public List<Batch> process(int side, Batch input) {
    int n = input.rowCount();
    if (n == 0) {
      return List.of();
    }
    int other = 1 - side;
    int[] keys = spec.keys(side);
    int timeColumn = side == 0 ? spec.leftTime() : spec.rightTime();
    TimeStampMilliVector time = timeColumn < 0 ? null : (TimeStampMilliVector) input.vector(timeColumn);
    List<Batch> out = new ArrayList<>();
    try (FieldVector untilValues = until[side].evaluate(EvalContext.all(input, allocator))) {
      boolean constant = until[side].isConstant();
      List<Integer> probeRows = new ArrayList<>();
      List<byte[]> probeValues = new ArrayList<>();
      List<byte[]> probeKeys = new ArrayList<>();
      boolean[] matched = new boolean[n];
      int[] kept = new int[n];
      byte[][] keyBytes = new byte[n][];
      int keptCount = 0;
      int[] unmatchable = new int[n];
      int unmatchableCount = 0;
      int late = 0;
      for (int r = 0; r < n; r++) {
        int u = constant ? 0 : r;
        if (!spec.regular() && !time.isNull(r) && time.get(r) < watermark) {
          late++;
          continue;
        }
        if (time != null && time.isNull(r) || untilValues.isNull(u) || anyNull(input, keys, r)) {
          unmatchable[unmatchableCount++] = r;
          continue;
        }
        // The other side's rows of this key are under [1 + other][join key]; this row goes under [1 + side]...
        byte[] prefix = taggedKey((byte) (1 + other), input, keys, r);
        keyBytes[r] = prefix;
        kept[keptCount++] = r;
        int row = r;
        long t = time == null ? 0 : time.get(r);
        // With fixed bounds the other side's rows that can match have times in [low, high]: only they are read.
        byte[] from = ranged ? JoinKeys.withTime(prefix, side == 0 ? t + spec.lowerMs() : t - spec.upperMs()) : prefix;
        long high = ranged ? (side == 0 ? t + spec.upperMs() : t - spec.lowerMs()) : Long.MAX_VALUE;
        state.scanFrom(from, prefix, (k, v) -> {
          if (ranged && OrderedBytes.getLong(k, prefix.length) > high) {
            return false;
          }
          probeRows.add(row);
          probeKeys.add(k);
          probeValues.add(v);
          return true;
        });
        if (probeRows.size() >= CHUNK) {
          pairs(side, input, probeRows, probeKeys, probeValues, matched, out);
          probeRows.clear();
          probeKeys.clear();
          probeValues.clear();
        }
      }
      lateRows.add(late);
      if (!probeRows.isEmpty()) {
        pairs(side, input, probeRows, probeKeys, probeValues, matched, out);
      }
      if (spec.regular() && spec.type().keeps(side)) {
        // Without a time bound a row with no match is emitted with nulls at once (taken back when one comes).
        for (int i = 0; i < keptCount; i++) {
          if (!matched[kept[i]]) {
            unmatchable[unmatchableCount++] = kept[i];
          }
        }
        Arrays.sort(unmatchable, 0, unmatchableCount);
      }
      if (spec.type().keeps(side) && unmatchableCount > 0) {
        batches.emit(out, batches.padded(side, input, unmatchable, unmatchableCount), RowKind.INSERT);
      }
      List<FieldVector> vectors = new ArrayList<>();
      for (int c = 0; c < input.columnCount(); c++) {
        vectors.add(input.vector(c));
      }
      for (int i = 0; i < keptCount; i++) {
        int r = kept[i];
        long u = ((untilValues instanceof TimeStampMilliVector t) ? t.get(constant ? 0 : r)
            : ((BigIntVector) untilValues).get(constant ? 0 : r));
        keep(side, keyBytes[r], time == null ? 0 : time.get(r), u, matched[r], vectors, r);
      }
      updated += keptCount;
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  private static boolean anyNull(Batch input, int[] keys, int row) {
    for (int k : keys) {
      if (input.vector(k).isNull(row)) {
        return true;
      }
    }
    return false;
  }

  /** {@code tag} then the join key of row {@code row}. */
  private byte[] taggedKey(byte tag, Batch input, int[] keys, int row) {
    scratch.clear();
    scratch.put(tag);
    for (int k = 0; k < keys.length; k++) {
      OrderedBytes.put(scratch, input.vector(keys[k]), keyTypes[k], row, false);
    }
    return OrderedBytes.bytes(scratch);
  }

  /**
   * Keeps row {@code row} of {@code input}, of side {@code side}, until the watermark passes {@code until};
   * {@code taggedKey} is its join key after a tag.
   */
  private void keep(int side, byte[] taggedKey, long time, long until, boolean matched, List<FieldVector> vectors,
      int row) {
    scratch.clear();
    scratch.put((byte) (1 + side));
    scratch.put(taggedKey, 1, taggedKey.length - 1);
    OrderedBytes.putLong(scratch, time);
    OrderedBytes.putLong(scratch, keptRows.next());
    byte[] rowKey = OrderedBytes.bytes(scratch);
    scratch.clear();
    scratch.put((byte) (matched ? 1 : 0));
    OrderedBytes.putLong(scratch, until);
    KeyValueState.encode(vectors, row, scratch);
    state.put(rowKey, OrderedBytes.bytes(scratch));
    state.put(JoinKeys.indexKey(side, until, rowKey), JoinKeys.EMPTY);
    evictedBelow[side] = Math.min(evictedBelow[side], until);
    keptRows.added(side);
  }

  /**
   * The pairs of the input rows {@code probeRows} with the kept rows of the other side {@code probeValues} that
   * meet the condition, added to {@code out}; marks the rows of both sides that matched.
   */
  private void pairs(int side, Batch input, List<Integer> probeRows, List<byte[]> probeKeys, List<byte[]> probeValues,
      boolean[] matched, List<Batch> out) {
    int count = probeRows.size();
    int[] rowsAt = probeRows.stream().mapToInt(Integer::intValue).toArray();
    FieldVector[] mine = batches.gather(input, spec.schema(side), rowsAt, count);
    FieldVector[] theirs;
    Batch joinedPairs;
    try {
      theirs = batches.decode(spec.schema(1 - side), probeValues);
    } catch (RuntimeException | Error e) {
      JoinRows.closeAll(mine);
      throw e;
    }
    try {
      joinedPairs = batches.joined(side == 0 ? mine : theirs, side == 0 ? theirs : mine, count);
    } catch (RuntimeException | Error e) {
      JoinRows.closeAll(mine);
      JoinRows.closeAll(theirs);
      throw e;
    }
    try (Batch pairs = joinedPairs) {
      int[] selection = new int[count];
      int passed;
      if (condition == null) {
        passed = count;
        for (int i = 0; i < count; i++) {
          selection[i] = i;
        }
      } else {
        passed = condition.apply(EvalContext.all(pairs, allocator), selection).count();
      }
      if (passed == 0) {
        return;
      }
      boolean markOther = spec.type().keeps(1 - side);
      List<byte[]> retracted = new ArrayList<>();
      // Several input rows may match one kept row, each with its own copy of the kept value (RocksDB): flip once.
      java.util.Set<java.nio.ByteBuffer> flipped = new java.util.HashSet<>();
      for (int i = 0; i < passed; i++) {
        int p = selection[i];
        matched[rowsAt[p]] = true;
        byte[] value = probeValues.get(p);
        if (markOther && value[0] == 0 && flipped.add(java.nio.ByteBuffer.wrap(probeKeys.get(p)))) {
          if (spec.regular()) {
            retracted.add(value.clone());
          }
          value[0] = 1;
          state.put(probeKeys.get(p), value);
        }
      }
      if (!retracted.isEmpty()) {
        // The other side's rows emitted with nulls when they came have their first match now: taken back.
        batches.emit(out, batches.padded(1 - side, retracted), RowKind.DELETE);
      }
      batches.emit(out, passed == count ? pairs.share(allocator) : RowKind.rows(pairs, selection, passed,
          pairs.columnCount(), allocator), RowKind.INSERT);
    }
  }

  /**
   * The watermark has passed {@code until} of some kept rows: no row to come can match them. They go, and in an
   * outer join those of its outer sides that never matched are emitted with nulls.
   */
  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    List<Batch> out = new ArrayList<>();
    try {
      for (int side = 0; side < 2; side++) {
        List<byte[]> gone = new ArrayList<>();
        List<byte[][]> unmatched = new ArrayList<>();
        state.takeIndexBelow((byte) (3 + side), evictedBelow[side], watermarkMs, gone::add);
        for (byte[] index : gone) {
          byte[] rowKey = new byte[index.length - 8];
          rowKey[0] = (byte) (1 + side);
          System.arraycopy(index, 9, rowKey, 1, index.length - 9);
          byte[] value = state.get(rowKey);
          if (value == null) {
            continue;
          }
          if (spec.regular()) {
            expired++;
          } else if (value[0] == 0 && spec.type().keeps(side)) {
            unmatched.add(new byte[][] {index, value});
          }
          state.delete(rowKey);
          keptRows.removed(side);
        }
        evictedBelow[side] = Math.max(evictedBelow[side], watermarkMs);
        if (!unmatched.isEmpty()) {
          // In order of their index entries (until, key, time, arrival), whatever order the state handed them in.
          unmatched.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
          batches.emit(out, batches.padded(side, unmatched.stream().map(u -> u[1]).toList()), RowKind.INSERT);
        }
      }
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    keptRows.commit(store, version, scratch);
    reportedUpdated = updated;
    reportedDropped = lateRows.take();
    reportedExpired = expired;
    expired = 0;
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

  /** The join key's columns, decoded from each row's key when the state moves between partitions. */
  @Override
  public int[] stateKeyColumns() {
    return IntStream.range(0, spec.leftKeys().length).toArray();
  }

  @Override
  public long heapStateBytes() {
    return state.heapBytes();
  }

  @Override
  public StateOperatorProgress progress() {
    return new StateOperatorProgress(name(), keptRows.total(), reportedUpdated, heapStateBytes(),
        reportedDropped, spec.regular() ? java.util.Map.of("numRowsExpired", reportedExpired) : java.util.Map.of());
  }

  @Override
  public void close() {
    state.close();
  }
}
