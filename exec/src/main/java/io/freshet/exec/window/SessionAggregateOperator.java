package io.freshet.exec.window;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.aggregate.SessionState;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.state.KeyValueRestore;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * SESSION windows fused with the aggregation over them. A session is a key's run of rows in which each row comes
 * at most {@code gap} after the one before; it spans {@code [first row, last row + gap)}. A row that falls within
 * {@code gap} of two sessions joins them into one. A session is emitted once, when the watermark passes its end
 * (no later row could join it), and then forgotten; in update mode, each micro-batch emits the sessions it
 * changed instead, as a changelog that takes back each session's earlier row.
 */
public final class SessionAggregateOperator implements StatefulOperator {
  /** Output key positions that are window columns rather than partition keys. */
  public static final int WINDOW_START = -1;
  public static final int WINDOW_END = -2;
  public static final int WINDOW_TIME = -3;

  /**
   * The plan-time description.
   *
   * @param keys the PARTITION BY columns of the input (none for one global session stream)
   * @param layout for each GROUP BY column of the output, {@link #WINDOW_START}, {@link #WINDOW_END},
   *     {@link #WINDOW_TIME} or the position of a partition key in {@code keys}
   * @param updates update mode: each micro-batch emits the sessions it changed, as a changelog, instead of each
   *     session once when it closes
   */
  public record Spec(int timeColumn, int[] keys, long gapMs, List<AggregateCall> calls, int[] layout,
      RowSchema outputSchema, boolean updates) implements OperatorFactory {
    public Spec {
      keys = keys.clone();
      layout = layout.clone();
      calls = List.copyOf(calls);
    }

    public Spec(int timeColumn, int[] keys, long gapMs, List<AggregateCall> calls, int[] layout,
        RowSchema outputSchema) {
      this(timeColumn, keys, gapMs, calls, layout, outputSchema, false);
    }

    /** This session aggregation in update mode. */
    public Spec withUpdates() {
      return new Spec(timeColumn, keys, gapMs, calls, layout, outputSchema, true);
    }

    /** Each closed session's final row, or in update mode a changelog of the sessions that changed. */
    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return updates ? ChangelogMode.RETRACT : ChangelogMode.INSERT_ONLY;
    }

    /** Its GROUP BY columns (keys, start and end), by which an update-mode sink replaces a session's row. */
    @Override
    public int[] upsertKey(List<int[]> inputKeys) {
      return updates ? IntStream.range(0, layout.length).toArray() : null;
    }

    @Override
    public SessionAggregateOperator create(OperatorContext context) {
      return new SessionAggregateOperator(this, context.allocator(), context.lateRows(), context.stateBackend());
    }

    @Override
    public String kind() {
      return "session";
    }

    @Override
    public boolean stateful() {
      return true;
    }

    @Override
    public boolean dropsLateRows() {
      return true;
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
      return "SessionAggregate(keys=" + Arrays.stream(keys).mapToObj(key).toList() + ", time=" + ref.apply(timeColumn)
          + ", gap=" + gapMs + " ms, aggregates=" + calls.stream().map(c -> c.toString(ref)).toList()
          + (updates ? ", emit=UPDATES" : "") + ")";
    }
  }

  private final Spec spec;
  private final SessionState state;
  private final LateRows late;
  private long watermark = Long.MIN_VALUE;
  private long updated;
  private long dropped;
  private final BufferAllocator allocator;
  private final StateBackend backend;
  /** The sessions in RocksDB, or null when they live in {@link #state} on the heap. */
  private RocksDbSessions rocks;
  /** Restores the RocksDB state, from the partition's own checkpoint or gathered from the previous layout's. */
  private final KeyValueRestore restore = new KeyValueRestore();

  private SessionAggregateOperator(Spec spec, BufferAllocator allocator, LateRows late, StateBackend backend) {
    this.spec = spec;
    this.allocator = allocator;
    this.state = new SessionState(spec, allocator);
    this.late = late;
    this.backend = backend;
  }

  @Override
  public String name() {
    return "SessionAggregate";
  }

  @Override
  public void startBatch(long watermarkMs) {
    watermark = watermarkMs;
  }

  @Override
  public List<Batch> process(Batch input) {
    state.add(input, watermark, late);
    return List.of();
  }

  /**
   * Emits what the micro-batch changed (update mode) and the sessions the watermark closed, which in RocksDB are
   * read into memory first; in RocksDB the sessions still open are then written back.
   */
  @Override
  public List<Batch> finishBatch(long watermarkMs) {
    dropped = late == null ? 0 : late.take();
    updated = state.takeUpdated();
    if (rocks != null) {
      rocks.loadClosing(watermarkMs);
    }
    List<Batch> out = new ArrayList<>();
    try {
      if (spec.updates()) {
        out.addAll(state.changes());
        state.emitClosed(watermarkMs);
      } else {
        out.addAll(state.emitClosed(watermarkMs));
      }
      if (rocks != null) {
        rocks.store();
      }
    } catch (RuntimeException | Error e) {
      out.forEach(Batch::close);
      throw e;
    }
    return out;
  }

  /** The session's keys come first. */
  @Override
  public int[] stateKeyColumns() {
    return IntStream.range(0, state.keyCount()).toArray();
  }

  /**
   * Restores from the partition's own checkpoint, or, after a change in the number of partitions, from each store of
   * the previous layout that holds some of its keys: in RocksDB, into an empty database of its own.
   */
  @Override
  public void restoreState(StateStore store, long version) {
    if (backend.pagesToDisk()) {
      if (rocks == null) {
        rocks = new RocksDbSessions(backend.open(store.home(), "SessionAggregate " + spec.describe()), state,
            allocator);
      }
      restore.restore(rocks, store, version);
      return;
    }
    if (version >= 0) {
      store.restore(version, state.stateSchema(), state::restore);
    }
  }

  @Override
  public void commitState(StateStore store, long version) {
    if (rocks != null) {
      // finishBatch wrote the open sessions.
      rocks.checkpoint(version);
      return;
    }
    // Open sessions are bounded by the watermark delay, so each version is written whole.
    state.writeSnapshot(store, version);
  }

  @Override
  public long heapStateBytes() {
    return state.bytes();
  }

  @Override
  public StateOperatorProgress progress() {
    if (rocks != null) {
      return new StateOperatorProgress(name(), rocks.estimatedSessions(), updated, state.bytes()
          + rocks.memoryBytes(), dropped);
    }
    return new StateOperatorProgress(name(), state.liveSessions(), updated, state.bytes(), dropped);
  }

  @Override
  public void close() {
    if (rocks != null) {
      rocks.close();
      rocks = null;
    }
  }
}
