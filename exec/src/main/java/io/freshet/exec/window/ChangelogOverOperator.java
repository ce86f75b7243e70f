package io.freshet.exec.window;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.batch.Values;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.join.HeapJoinState;
import io.freshet.exec.join.JoinState;
import io.freshet.exec.join.KeyValueJoinState;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.state.KeyValueState;
import io.freshet.exec.state.OrderedBytes;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.exec.window.OverChanges.Held;
import io.freshet.streaming.StateOperatorProgress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * An OVER aggregation over a changelog (rows that come and are taken back, such as a Top-N's or an unbounded
 * aggregation's), which Flink's over aggregation refuses: its result is the OVER aggregation of the input table as
 * it stands after each batch, kept up to date. Each partition's rows are ordered by the ORDER BY column (nulls
 * first), rows of equal value by their bytes, so that the answer does not depend on the order rows came in. A batch
 * that changes a partition recomputes that partition's frames and emits the difference: {@code +I} for a row that
 * came, {@code -D} for a row taken back, {@code -U} and {@code +U} for a row whose frame changed (a row came or left
 * within the reach of its frame). The output is a changelog without a key: a sink deletes a row equal to each one
 * taken back.
 *
 * <p>Its state ({@link JoinState}, on the heap or in RocksDB) holds every row of the input table, as it must to
 * take any of them back: under {@code [1][partition][order value][row]}, with how often the row is there and its
 * aggregates' arguments. A batch costs in proportion to the rows of the partitions it changes.
 */
public final class ChangelogOverOperator implements StatefulOperator {
  private static final byte[] META = {0};
  private static final byte ROW = 1;
  /** The most rows it emits in one batch. */
  private static final int CHUNK = 4096;

  /** The plan-time description: that of the OVER aggregation it keeps up to date ({@code over}). */
  public record Spec(OverAggregateOperator.Spec over) implements OperatorFactory {
    @Override
    public ChangelogOverOperator create(OperatorContext context) {
      return new ChangelogOverOperator(this, context);
    }

    @Override
    public RowSchema outputSchema() {
      return over.outputSchema();
    }

    @Override
    public String kind() {
      return "over";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    /** Rows come, change and go as the input's rows do. */
    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return ChangelogMode.RETRACT;
    }

    @Override
    public String describe() {
      return over.describe(Integer::toString, i -> "$" + i, "ChangelogOverAggregate(");
    }

    @Override
    public String describe(IntFunction<String> column) {
      return over.describe(column, column, "ChangelogOverAggregate(");
    }
  }

  /** What a batch did to one row of a partition: how often it came less how often it was taken back. */
  private static final class Change {
    final byte[] value;
    long delta;

    Change(byte[] value) {
      this.value = value;
    }
  }

  private final OverAggregateOperator.Spec spec;
  private final BufferAllocator allocator;
  private final JoinState state;
  private final RowSchema inputSchema;
  private final TypeKind[] partitionTypes;
  private final TypeKind orderType;
  /** The types of a row's value after its count and where its row begins: each aggregate's argument, the order. */
  private final TypeKind[] valueTypes;
  private final ByteSink scratch = new ByteSink();
  private final ByteSink valueScratch = new ByteSink();
  private final ByteSink countScratch = new ByteSink(16);
  /** This batch's changes, by partition, each in the order of the rows' keys. */
  private final Map<ByteBuffer, TreeMap<byte[], Change>> changes = new LinkedHashMap<>();
  /** Distinct rows held. */
  private long entries;
  private long updated;
  private long reportedUpdated;

  private ChangelogOverOperator(Spec factory, OperatorContext context) {
    this.spec = factory.over();
    this.allocator = context.allocator();
    this.inputSchema = spec.inputSchema();
    this.partitionTypes = Arrays.stream(spec.partition()).mapToObj(inputSchema::type).toArray(TypeKind[]::new);
    this.orderType = inputSchema.type(spec.timeColumn());
    this.valueTypes = new TypeKind[spec.calls().size() + 1];
    for (int i = 0; i < spec.calls().size(); i++) {
      AggregateCall call = spec.calls().get(i);
      valueTypes[i] = call.argument() < 0 ? TypeKind.BOOLEAN : call.argumentType();
    }
    valueTypes[spec.calls().size()] = orderType;
    RowSchema keySchema = new RowSchema(Arrays.stream(spec.partition()).mapToObj(inputSchema::column).toList());
    byte[] rowTags = {ROW};
    this.state = context.stateBackend().pagesToDisk()
        ? new KeyValueJoinState(context.stateBackend(), "ChangelogOverAggregate " + spec.describe(), keySchema,
            rowTags)
        : new HeapJoinState(keySchema, rowTags, allocator);
  }

  @Override
  public String name() {
    return "ChangelogOverAggregate";
  }

  /** Gathers the batch's changes per partition and row; {@link #finishBatch} applies them. */
  @Override
  public List<Batch> process(Batch input) {
    boolean kinds = RowKind.present(input);
    List<FieldVector> columns = new ArrayList<>(inputSchema.size());
    for (int c = 0; c < inputSchema.size(); c++) {
      columns.add(input.vector(c));
    }
    for (int r = 0; r < input.rowCount(); r++) {
      scratch.clear();
      scratch.put(ROW);
      for (int k = 0; k < partitionTypes.length; k++) {
        OrderedBytes.put(scratch, input.vector(spec.partition()[k]), partitionTypes[k], r, false);
      }
      int partitionEnd = scratch.length();
      OrderedBytes.put(scratch, input.vector(spec.timeColumn()), orderType, r, false);
      int rowStart = scratch.length();
      KeyValueState.encode(columns, r, scratch);
      byte[] key = OrderedBytes.bytes(scratch);
      ByteBuffer partition = ByteBuffer.wrap(Arrays.copyOfRange(key, 1, partitionEnd));
      int row = r;
      Change change = changes.computeIfAbsent(partition, p -> new TreeMap<>(Arrays::compareUnsigned))
          .computeIfAbsent(key, k -> new Change(value(input, row, rowStart)));
      change.delta += kinds && RowKind.retracts(RowKind.kind(input, r)) ? -1 : 1;
    }
    updated += input.rowCount();
    return List.of();
  }

  /** A row's value without its count: where its row begins in its key, its aggregates' arguments and its order. */
  private byte[] value(Batch input, int r, int rowStart) {
    Object[] values = new Object[valueTypes.length];
    for (int i = 0; i < spec.calls().size(); i++) {
      int column = spec.calls().get(i).argument();
      values[i] = column < 0 ? null : Values.get(input.vector(column), inputSchema.type(column), r);
    }
    values[values.length - 1] = Values.get(input.vector(spec.timeColumn()), orderType, r);
    valueScratch.clear();
    OrderedBytes.putLong(valueScratch, 0);
    OrderedBytes.putLong(valueScratch, rowStart);
    OrderedBytes.putAll(valueScratch, values, valueTypes);
    return OrderedBytes.bytes(valueScratch);
  }

  /** Applies the batch's changes, partition by partition, and emits what they changed of the result. */
  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    List<Batch> out = new ArrayList<>();
    if (changes.isEmpty()) {
      return out;
    }
    OverChanges emitted = new OverChanges(spec, allocator, CHUNK);
    try {
      for (Map.Entry<ByteBuffer, TreeMap<byte[], Change>> partition : changes.entrySet()) {
        update(partition.getKey().array(), partition.getValue(), emitted, out);
      }
      emitted.flush(out);
    } catch (RuntimeException | Error e) {
      emitted.close();
      out.forEach(Batch::close);
      throw e;
    } finally {
      changes.clear();
    }
    return out;
  }

  /** Applies {@code deltas} to {@code partition}'s rows and emits the rows whose output they changed. */
  private void update(byte[] partition, TreeMap<byte[], Change> deltas, OverChanges emitted, List<Batch> out) {
    byte[] prefix = new byte[partition.length + 1];
    prefix[0] = ROW;
    System.arraycopy(partition, 0, prefix, 1, partition.length);
    List<Held> before = new ArrayList<>();
    state.scanPrefix(prefix, (k, v) -> {
      before.add(new Held(k, v, OrderedBytes.getLong(v, 0)));
      return true;
    });
    List<Held> after = new ArrayList<>(before.size() + deltas.size());
    int i = 0;
    for (Map.Entry<byte[], Change> delta : deltas.entrySet()) {
      byte[] key = delta.getKey();
      while (i < before.size() && Arrays.compareUnsigned(before.get(i).key(), key) < 0) {
        after.add(before.get(i++));
      }
      Held old = i < before.size() && Arrays.equals(before.get(i).key(), key) ? before.get(i++) : null;
      long count = (old == null ? 0 : old.count()) + delta.getValue().delta;
      if (count > 0) {
        byte[] value = (old == null ? delta.getValue().value : old.value()).clone();
        System.arraycopy(countBytes(count), 0, value, 0, 8);
        after.add(new Held(key, value, count));
        if (old == null || old.count() != count) {
          state.put(key, value);
        }
        entries += old == null ? 1 : 0;
      } else if (old != null) {
        // A row taken back more often than it came (count below 0) was never in the result: nothing to undo.
        state.delete(key);
        entries--;
      }
    }
    while (i < before.size()) {
      after.add(before.get(i++));
    }
    emitted.difference(before, frames(before), after, frames(after), out);
  }

  private byte[] countBytes(long count) {
    countScratch.clear();
    OrderedBytes.putLong(countScratch, count);
    return OrderedBytes.bytes(countScratch);
  }

  /** The aggregates of each row of {@code rows} (a row there twice has two), in order. */
  private Object[][] frames(List<Held> rows) {
    long total = 0;
    for (Held row : rows) {
      total += row.count();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("An OVER aggregation over a changelog holds more than 2^31 rows in one "
          + "partition (" + spec.describe() + "); PARTITION BY more columns");
    }
    List<Object[]> values = new ArrayList<>((int) total);
    for (Held row : rows) {
      Object[] decoded = OrderedBytes.read(row.value(), 16, valueTypes);
      for (long c = 0; c < row.count(); c++) {
        values.add(decoded);
      }
    }
    return OverFrames.compute(spec, values);
  }

  // ------------------------------------------------------------------ state

  @Override
  public void commitState(StateStore store, long version) {
    state.put(META, countBytes(entries));
    state.commit(store, version);
    reportedUpdated = updated;
    updated = 0;
  }

  /** Restores the rows; when they were gathered from files, counts them again. */
  @Override
  public void restoreState(StateStore store, long version) {
    entries = 0;
    boolean inPlace = state.restore(store, version, (key, value) -> entries++);
    byte[] meta = inPlace ? state.get(META) : null;
    if (meta != null) {
      entries = OrderedBytes.getLong(meta, 0);
    }
    changes.clear();
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
    return new StateOperatorProgress(name(), entries, reportedUpdated, heapStateBytes(), 0);
  }

  @Override
  public void close() {
    state.close();
  }
}
