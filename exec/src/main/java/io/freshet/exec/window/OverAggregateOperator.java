package io.freshet.exec.window;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Values;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.join.HeapJoinState;
import io.freshet.exec.join.JoinState;
import io.freshet.exec.join.KeyValueJoinState;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.StateOperatorProgress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;

/**
 * An OVER aggregation ordered by event time, Flink's over aggregation: each input row is emitted once, with the
 * aggregates of the rows of its partition in its frame ({@code ROWS BETWEEN n PRECEDING AND CURRENT ROW}, {@code
 * RANGE BETWEEN INTERVAL ... PRECEDING AND CURRENT ROW}, or from the partition's first row), once the watermark
 * has passed its time, so that every row before it in event time has come. Rows are held until then and taken in
 * order of time; rows of equal time are emitted together, and in a RANGE frame they are peers that include each
 * other, while in a ROWS frame they follow their order of arrival. Rows older than the watermark in force are late:
 * dropped and counted. The output is the input's columns then the aggregates, insert-only.
 *
 * <p>Its state ({@link JoinState}, on the heap or in RocksDB) holds the rows not yet emitted under
 * {@code [1][partition][time][seq]}, with an index by time {@code [3][time][partition][seq]} that tells which are
 * due, and per partition what its frame still needs: a bounded frame's rows (the last n for ROWS, those within
 * the interval of the watermark for RANGE) under {@code [2][partition][time][seq]} with their aggregates'
 * arguments, a RANGE frame's rows also indexed by time under {@code [4][time][partition][seq]} so that the
 * watermark expires them; an unbounded frame's aggregates under {@code [2][partition]}.
 */
public final class OverAggregateOperator implements StatefulOperator {
  private static final byte[] META = {0};
  private static final byte PENDING = 1;
  private static final byte FRAME = 2;
  private static final byte DUE = 3;
  private static final byte EXPIRES = 4;
  private static final byte[] EMPTY = new byte[0];
  /** The most rows it emits in one batch. */
  private static final int CHUNK = 4096;

  /**
   * The plan-time description. The output is the input's columns followed by one column per aggregate.
   *
   * @param timeColumn the input's event time, by which the rows are ordered
   * @param partition the PARTITION BY columns, by which the input is hashed (none for one partition)
   * @param rows whether the frame counts rows (ROWS) rather than time (RANGE)
   * @param preceding how far the frame reaches back: rows, or milliseconds; {@link #UNBOUNDED} from the first row
   * @param orderProblem null when {@code timeColumn} is the input's event time; else why an insert-only input cannot
   *     be ordered by it, and what to write instead (a changelog input is read by {@link ChangelogOverOperator},
   *     which may be ordered by any column)
   */
  public record Spec(int timeColumn, int[] partition, boolean rows, long preceding, List<AggregateCall> calls,
      RowSchema outputSchema, String orderProblem) implements OperatorFactory {
    public static final long UNBOUNDED = -1;

    public Spec {
      partition = partition.clone();
      calls = List.copyOf(calls);
    }

    /** An OVER aggregation ordered by the input's event time. */
    public Spec(int timeColumn, int[] partition, boolean rows, long preceding, List<AggregateCall> calls,
        RowSchema outputSchema) {
      this(timeColumn, partition, rows, preceding, calls, outputSchema, null);
    }

    /** The same OVER aggregation over a changelog: its result kept up to date as rows come and go. */
    public ChangelogOverOperator.Spec overChangelog() {
      return new ChangelogOverOperator.Spec(this);
    }

    @Override
    public OverAggregateOperator create(OperatorContext context) {
      return new OverAggregateOperator(this, context);
    }

    @Override
    public String kind() {
      return "over";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    @Override
    public boolean dropsLateRows() {
      return true;
    }

    /** Each row once, final. */
    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return ChangelogMode.INSERT_ONLY;
    }

    /** Whether rows leave the frame. */
    boolean bounded() {
      return preceding != UNBOUNDED;
    }

    RowSchema inputSchema() {
      return new RowSchema(outputSchema.columns().subList(0, outputSchema.size() - calls.size()));
    }

    /** The frame as SQL writes it, RANGE's reach in milliseconds. */
    String frame() {
      String reach = !bounded() ? "UNBOUNDED" : rows ? Long.toString(preceding) : preceding + " ms";
      return (rows ? "ROWS" : "RANGE") + " BETWEEN " + reach + " PRECEDING AND CURRENT ROW";
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
      return describe(key, ref, "OverAggregate(");
    }

    /** The description, {@code head} naming the operator. */
    String describe(IntFunction<String> key, IntFunction<String> ref, String head) {
      return head + "partition=" + Arrays.stream(partition).mapToObj(key).toList() + ", order="
          + ref.apply(timeColumn) + ", " + frame() + ", aggregates=" + calls.stream().map(c -> c.toString(ref))
          .toList() + ")";
    }
  }

  /** A row of a bounded frame: its key in the state, time, aggregates' arguments, and whether the state has it. */
  private record FrameRow(byte[] key, long time, Object[] args, boolean stored) {
  }

  private final Spec spec;
  private final BufferAllocator allocator;
  private final LateRows lateRows;
  private final JoinState state;
  private final RowSchema inputSchema;
  private final TypeKind[] partitionTypes;
  /** Per aggregate, the type its argument is kept as in a frame row (COUNT(*) keeps a null BOOLEAN). */
  private final TypeKind[] argTypes;
  private final ByteSink scratch = new ByteSink();
  private long watermark = Long.MIN_VALUE;
  private long sequence;
  private long pending;
  /** Rows of bounded frames, or partitions of unbounded ones. */
  private long frameEntries;
  private long updated;
  private long reportedUpdated;
  private long reportedDropped;

  private OverAggregateOperator(Spec spec, OperatorContext context) {
    this.spec = spec;
    this.allocator = context.allocator();
    this.lateRows = context.lateRows();
    this.inputSchema = spec.inputSchema();
    this.partitionTypes = Arrays.stream(spec.partition()).mapToObj(inputSchema::type).toArray(TypeKind[]::new);
    this.argTypes = spec.calls().stream().map(c -> c.argument() < 0 ? TypeKind.BOOLEAN : c.argumentType())
        .toArray(TypeKind[]::new);
    RowSchema keySchema = new RowSchema(Arrays.stream(spec.partition()).mapToObj(inputSchema::column).toList());
    byte[] rowTags = {PENDING, FRAME};
    this.state = context.stateBackend().pagesToDisk()
        ? new KeyValueJoinState(context.stateBackend(), "OverAggregate " + spec.describe(), keySchema, rowTags)
        : new HeapJoinState(keySchema, rowTags, allocator);
  }

  @Override
  public String name() {
    return "OverAggregate";
  }

  @Override
  public void startBatch(long watermarkMs) {
    this.watermark = watermarkMs;
  }

  /** Holds each row until the watermark passes its time; drops and counts those older than the watermark. */
  @Override
  public List<Batch> process(Batch input) {
    int n = input.rowCount();
    TimeStampMilliVector time = (TimeStampMilliVector) input.vector(spec.timeColumn());
    List<FieldVector> vectors = new ArrayList<>(input.columnCount());
    for (int c = 0; c < input.columnCount(); c++) {
      vectors.add(input.vector(c));
    }
    int[] late = new int[n];
    int dropped = 0;
    for (int r = 0; r < n; r++) {
      if (time.isNull(r) || time.get(r) < watermark) {
        late[dropped++] = r;
        continue;
      }
      scratch.clear();
      scratch.put(PENDING);
      for (int k = 0; k < partitionTypes.length; k++) {
        OrderedBytes.put(scratch, input.vector(spec.partition()[k]), partitionTypes[k], r, false);
      }
      OrderedBytes.putLong(scratch, time.get(r));
      OrderedBytes.putLong(scratch, sequence++);
      byte[] key = OrderedBytes.bytes(scratch);
      scratch.clear();
      KeyValueState.encode(vectors, r, scratch);
      state.put(key, OrderedBytes.bytes(scratch));
      state.put(indexKey(DUE, key), EMPTY);
      pending++;
    }
    if (dropped > 0) {
      lateRows.drop(input, late, dropped, allocator);
    }
    updated += n - dropped;
    return List.of();
  }

  /** {@code [tag][time][partition][seq]} of a row's key {@code [row tag][partition][time][seq]}. */
  private static byte[] indexKey(byte tag, byte[] rowKey) {
    int n = rowKey.length;
    byte[] key = new byte[n];
    key[0] = tag;
    System.arraycopy(rowKey, n - 16, key, 1, 8);
    System.arraycopy(rowKey, 1, key, 9, n - 17);
    System.arraycopy(rowKey, n - 8, key, n - 8, 8);
    return key;
  }

  /** The key {@code [tag][partition][time][seq]} of the row that {@code [index tag][time][partition][seq]} names. */
  private static byte[] rowKey(byte tag, byte[] indexKey) {
    int n = indexKey.length;
    byte[] key = new byte[n];
    key[0] = tag;
    System.arraycopy(indexKey, 9, key, 1, n - 17);
    System.arraycopy(indexKey, 1, key, n - 16, 8);
    System.arraycopy(indexKey, n - 8, key, n - 8, 8);
    return key;
  }

  private static byte[] tagged(byte tag, byte[] partition) {
    byte[] key = new byte[partition.length + 1];
    key[0] = tag;
    System.arraycopy(partition, 0, key, 1, partition.length);
    return key;
  }

  private static long timeOf(byte[] rowKey) {
    return OrderedBytes.getLong(rowKey, rowKey.length - 16);
  }

  /** {@code t - d}, or the least time when that is before it. */
  private static long minus(long t, long d) {
    long r = t - d;
    return r > t ? Long.MIN_VALUE : r;
  }

  /**
   * Emits the rows the watermark has passed, partition by partition in order of time, each with the aggregates of
   * its frame; then, for RANGE frames, forgets the rows no row to come can reach.
   */
  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    List<Batch> out = new ArrayList<>();
    if (watermarkMs == Long.MIN_VALUE) {
      return out;
    }
    try {
      Map<ByteBuffer, byte[]> due = new LinkedHashMap<>();
      state.scanPrefix(new byte[] {DUE}, (k, v) -> {
        if (OrderedBytes.getLong(k, 1) >= watermarkMs) {
          return false;
        }
        byte[] partition = Arrays.copyOfRange(k, 9, k.length - 8);
        due.putIfAbsent(ByteBuffer.wrap(partition), partition);
        return true;
      });
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      List<byte[]> partitions = new ArrayList<>();
      List<Integer> ends = new ArrayList<>();
      for (byte[] partition : due.values()) {
        state.scanPrefix(tagged(PENDING, partition), (k, v) -> {
          if (timeOf(k) >= watermarkMs) {
            return false;
          }
          keys.add(k);
          values.add(v);
          return true;
        });
        partitions.add(partition);
        ends.add(keys.size());
        if (keys.size() >= CHUNK) {
          out.add(emit(keys, values, partitions, ends));
          keys.clear();
          values.clear();
          partitions.clear();
          ends.clear();
        }
      }
      if (!keys.isEmpty()) {
        out.add(emit(keys, values, partitions, ends));
      }
      if (spec.bounded() && !spec.rows()) {
        expire(minus(watermarkMs, spec.preceding()));
      }
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  /**
   * The held rows {@code values} (under {@code keys}), partition {@code partitions[j]}'s ending before
   * {@code ends[j]}, with their aggregates; they leave the state.
   */
  private Batch emit(List<byte[]> keys, List<byte[]> values, List<byte[]> partitions, List<Integer> ends) {
    int n = keys.size();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int c = 0; c < inputSchema.size(); c++) {
        vectors.add(Vectors.allocate(inputSchema.type(c), n, allocator));
      }
      for (int i = 0; i < n; i++) {
        KeyValueState.decode(values.get(i), vectors, i);
      }
      for (FieldVector v : vectors) {
        v.setValueCount(n);
      }
      List<FieldVector> results = new ArrayList<>();
      for (AggregateCall call : spec.calls()) {
        FieldVector v = Vectors.allocate(call.resultType(), n, allocator);
        vectors.add(v);
        results.add(v);
      }
      int from = 0;
      for (int j = 0; j < partitions.size(); j++) {
        aggregate(partitions.get(j), keys, vectors, from, ends.get(j), results);
        from = ends.get(j);
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    for (byte[] key : keys) {
      state.delete(key);
      state.delete(indexKey(DUE, key));
    }
    pending -= n;
    return Batch.of(spec.outputSchema(), vectors, n);
  }

  /**
   * Rows {@code from} to {@code to} of {@code vectors}, one partition's in order of time, each with the aggregates of
   * its frame written into {@code results}; the partition's frame in the state is brought up to date.
   */
  private void aggregate(byte[] partition, List<byte[]> keys, List<FieldVector> vectors, int from, int to,
      List<FieldVector> results) {
    boolean bounded = spec.bounded();
    OverFrame frame = new OverFrame(spec.calls(), bounded);
    ArrayDeque<FrameRow> rows = new ArrayDeque<>();
    byte[] frameKey = tagged(FRAME, partition);
    if (bounded) {
      state.scanPrefix(frameKey, (k, v) -> {
        Object[] args = OrderedBytes.read(v, 0, argTypes);
        rows.addLast(new FrameRow(k, timeOf(k), args, true));
        frame.add(args);
        return true;
      });
    } else {
      byte[] aggregates = state.get(frameKey);
      if (aggregates != null) {
        frame.decode(aggregates);
      } else {
        frameEntries++;
      }
    }
    List<FrameRow> left = new ArrayList<>();
    for (int i = from; i < to; ) {
      long time = timeOf(keys.get(i));
      int peers = i + 1;
      while (!spec.rows() && peers < to && timeOf(keys.get(peers)) == time) {
        peers++;
      }
      for (int r = i; r < peers; r++) {
        Object[] args = arguments(vectors, r);
        frame.add(args);
        if (bounded) {
          byte[] key = keys.get(r).clone();
          key[0] = FRAME;
          rows.addLast(new FrameRow(key, time, args, false));
        }
      }
      if (bounded) {
        long earliest = minus(time, spec.preceding());
        while (spec.rows() ? rows.size() > spec.preceding() + 1 : rows.peekFirst().time() < earliest) {
          FrameRow gone = rows.removeFirst();
          frame.retract(gone.args());
          left.add(gone);
        }
      }
      Object[] aggregates = frame.results();
      for (int r = i; r < peers; r++) {
        for (int c = 0; c < aggregates.length; c++) {
          Values.set(results.get(c), spec.calls().get(c).resultType(), r, aggregates[c]);
        }
      }
      i = peers;
    }
    if (!bounded) {
      state.put(frameKey, frame.encode(scratch));
      return;
    }
    // A ROWS frame keeps the last n rows for the rows to come.
    while (spec.rows() && rows.size() > spec.preceding()) {
      left.add(rows.removeFirst());
    }
    for (FrameRow gone : left) {
      if (gone.stored()) {
        forget(gone.key());
      }
    }
    for (FrameRow kept : rows) {
      if (!kept.stored()) {
        scratch.clear();
        OrderedBytes.putAll(scratch, kept.args(), argTypes);
        state.put(kept.key(), OrderedBytes.bytes(scratch));
        if (!spec.rows()) {
          state.put(indexKey(EXPIRES, kept.key()), EMPTY);
        }
        frameEntries++;
      }
    }
  }

  /** A frame row leaves the state. */
  private void forget(byte[] frameKey) {
    state.delete(frameKey);
    if (!spec.rows()) {
      state.delete(indexKey(EXPIRES, frameKey));
    }
    frameEntries--;
  }

  /** Row {@code r}'s argument of each aggregate. */
  private Object[] arguments(List<FieldVector> vectors, int r) {
    Object[] args = new Object[argTypes.length];
    for (int c = 0; c < args.length; c++) {
      int column = spec.calls().get(c).argument();
      args[c] = column < 0 ? null : Values.get(vectors.get(column), inputSchema.type(column), r);
    }
    return args;
  }

  /** Forgets the rows of RANGE frames older than {@code before}: no row to come reaches back to them. */
  private void expire(long before) {
    List<byte[]> gone = new ArrayList<>();
    state.scanPrefix(new byte[] {EXPIRES}, (k, v) -> {
      if (OrderedBytes.getLong(k, 1) >= before) {
        return false;
      }
      gone.add(k);
      return true;
    });
    for (byte[] index : gone) {
      forget(rowKey(FRAME, index));
    }
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    scratch.clear();
    OrderedBytes.putLong(scratch, sequence);
    OrderedBytes.putLong(scratch, pending);
    OrderedBytes.putLong(scratch, frameEntries);
    state.put(META, OrderedBytes.bytes(scratch));
    state.commit(store, version);
    reportedUpdated = updated;
    reportedDropped = lateRows.take();
    updated = 0;
  }

  /**
   * Restores the held rows and frames; rows gathered from files (the heap state's checkpoint, or other partitions'
   * after a change in their number) get their index entries again, and the next sequence number follows theirs.
   */
  @Override
  public void restoreState(StateStore store, long version) {
    boolean timed = spec.bounded();
    boolean inPlace = state.restore(store, version, (key, value) -> {
      if (key[0] == PENDING) {
        state.put(indexKey(DUE, key), EMPTY);
        pending++;
      } else {
        if (timed && !spec.rows()) {
          state.put(indexKey(EXPIRES, key), EMPTY);
        }
        frameEntries++;
      }
      if (key[0] == PENDING || timed) {
        sequence = Math.max(sequence, OrderedBytes.getLong(key, key.length - 8) + 1);
      }
    });
    if (inPlace) {
      byte[] meta = state.get(META);
      if (meta != null) {
        sequence = OrderedBytes.getLong(meta, 0);
        pending = OrderedBytes.getLong(meta, 8);
        frameEntries = OrderedBytes.getLong(meta, 16);
      }
    }
    updated = 0;
  }

  /** The partition's columns, decoded from each row's key when the state moves between partitions. */
  @Override
  public int[] stateKeyColumns() {
    return IntStream.range(0, spec.partition().length).toArray();
  }

  @Override
  public long heapStateBytes() {
    return state.heapBytes();
  }

  @Override
  public StateOperatorProgress progress() {
    return new StateOperatorProgress(name(), pending + frameEntries, reportedUpdated, heapStateBytes(),
        reportedDropped);
  }

  @Override
  public void close() {
    state.close();
  }
}
