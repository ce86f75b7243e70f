package io.freshet.bench;

import io.freshet.exec.aggregate.HopSlicing;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.planner.PlannedQuery;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.QueryPlanner;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.sources.nexmark.NexmarkGenerator;
import io.freshet.sources.nexmark.NexmarkTable;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Window aggregations planned from SQL by Calcite and run by the exec operators over Arrow batches of Nexmark
 * bids on one thread; the score is input rows per second. One invocation pushes 524 088 bids through the plan
 * and then closes every window (emitting and evicting all state), as a micro-batch whose watermark passes them.
 * For the keyed tumbling window the {@code auction} column is replaced by a uniform key in {@code [0, keys)}.
 * At the end of a trial the state bytes per live key (measured before the windows close) are printed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class WindowAggregateBenchmark {
  private static final int EVENTS_PER_BATCH = 178 * 50;
  private static final int BATCHES = 64;
  private static final int ROWS = 178 * 46 * BATCHES;

  /** tumble: COUNT/SUM/MAX per key over 10 s windows; hop: 10 s every 2 s; session: 1 s gap per bidder. */
  @Param({"tumble", "hop", "session"})
  public String window;

  /** Distinct keys of the tumbling window (the others group by channel and bidder as generated). */
  @Param({"100", "10000", "1000000"})
  public int keys;

  private BufferAllocator allocator;
  private final List<Batch> batches = new ArrayList<>();
  private List<Operator> operators;
  private long liveKeys;
  private long stateBytes;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    // Tumble and hop: all rows within one window (a million events per second); session: 20 000 per second,
    // so that bidders' runs of bids break into sessions.
    NexmarkGenerator generator = new NexmarkGenerator(42, window.equals("session") ? 20_000 : 1_000_000, 1);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < BATCHES; i++) {
      Batch b = generator.generateBatch(NexmarkTable.BID, NexmarkTable.BID.schema(), 0,
          (long) i * EVENTS_PER_BATCH, (long) (i + 1) * EVENTS_PER_BATCH, allocator);
      long auction = b.vector(0).getDataBufferAddress();
      for (int r = 0; r < b.rowCount(); r++) {
        MemoryUtil.putLong(auction + 8L * r, random.nextInt(keys));
      }
      batches.add(b);
    }
    String sql = switch (window) {
      case "tumble" -> "SELECT window_start, window_end, auction, COUNT(*), SUM(price), MAX(price) FROM TABLE("
          + "TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, auction";
      case "hop" -> "SELECT window_start, window_end, auction, COUNT(*), SUM(price), MAX(price) FROM TABLE(HOP("
          + "TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) "
          + "GROUP BY window_start, window_end, auction";
      default -> "SELECT window_start, window_end, bidder, COUNT(*), SUM(price), MAX(price) FROM TABLE(SESSION("
          + "TABLE bid PARTITION BY bidder, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) "
          + "GROUP BY window_start, window_end, bidder";
    };
    String watermark = "dateTime - INTERVAL '4' SECOND";
    PlannedQuery plan = new QueryPlanner(List.of(new PlannerTable("bid", NexmarkTable.BID.schema(), false,
        "dateTime", watermark, () -> FreshetParser.parseExpression(watermark), 0)))
        .plan(FreshetParser.parseStatement(sql));
    // The plan is a chain (window, aggregation, projection): its nodes in order, each reading the one before.
    LateRows late = new LateRows();
    // As a query with its state on the heap runs it: a hopping window kept as slices.
    operators = HopSlicing.forStore(plan.plan(OutputMode.APPEND), false).nodes().stream()
        .map(n -> n.factory().create(new OperatorContext(allocator, late, n.id(), 0,
            io.freshet.exec.state.StateBackend.MEMORY))).toList();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long aggregate() {
    for (Operator op : operators) {
      op.startBatch(Long.MIN_VALUE);
    }
    for (Batch batch : batches) {
      push(0, batch);
    }
    for (Operator op : operators) {
      if (op instanceof StatefulOperator s) {
        StateOperatorProgress p = s.progress();
        liveKeys = p.numRowsTotal();
        stateBytes = p.memoryUsedBytes();
      }
    }
    long out = 0;
    for (int i = 0; i < operators.size(); i++) {
      for (Batch b : operators.get(i).finishBatch(Long.MAX_VALUE - 1)) {
        out += b.rowCount();
        b.close();
      }
    }
    return out;
  }

  private void push(int index, Batch batch) {
    if (index == operators.size()) {
      return;
    }
    for (Batch out : operators.get(index).process(batch)) {
      push(index + 1, out);
      out.close();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println();
    System.out.printf("state: %d bytes for %d live keys/windows before close = %.1f bytes per key%n", stateBytes,
        liveKeys, stateBytes / (double) Math.max(1, liveKeys));
    operators.forEach(Operator::close);
    batches.forEach(Batch::close);
    allocator.close();
  }
}
