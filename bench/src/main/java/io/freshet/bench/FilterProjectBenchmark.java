package io.freshet.bench;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.planner.PlannedQuery;
import io.freshet.streaming.OutputMode;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.QueryPlanner;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.sources.nexmark.NexmarkGenerator;
import io.freshet.sources.nexmark.NexmarkTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
 * The filter {@code MOD(auction, 7) = 0 AND price > 5000} plus a projection, planned from SQL by Calcite and
 * run by the exec Calc operator over Arrow batches of Nexmark bids on one thread. The score is input rows per
 * second. The batches are generated once in setup, so generation is not measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FilterProjectBenchmark {
  /**
   * The query first; the others split its cost: the MOD filter alone, and the projection alone (which
   * passes columns through as zero-copy views).
   */
  @Param({
      "SELECT auction, price, bidder FROM bid WHERE MOD(auction, 7) = 0 AND price > 5000",
      "SELECT auction FROM bid WHERE MOD(auction, 7) = 0",
      "SELECT auction, price, bidder FROM bid"})
  public String query;
  /** 178 Nexmark epochs of 50 events hold 178 x 46 = 8188 bids. */
  private static final int EVENTS_PER_BATCH = 178 * 50;
  private static final int ROWS_PER_BATCH = 178 * 46;
  private static final int BATCHES = 64;
  private static final int ROWS = ROWS_PER_BATCH * BATCHES;

  private BufferAllocator allocator;
  private final List<Batch> batches = new ArrayList<>();
  private CalcOperator operator;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    NexmarkGenerator generator = new NexmarkGenerator(42, 1_000_000, 1);
    for (int i = 0; i < BATCHES; i++) {
      batches.add(generator.generateBatch(NexmarkTable.BID, NexmarkTable.BID.schema(), 0,
          (long) i * EVENTS_PER_BATCH, (long) (i + 1) * EVENTS_PER_BATCH, allocator));
    }
    PlannedQuery plan = new QueryPlanner(List.of(new PlannerTable("bid", NexmarkTable.BID.schema(), true)))
        .plan(FreshetParser.parseStatement(query));
    operator = ((CalcOperator.Spec) plan.plan(OutputMode.APPEND).nodes().get(0).factory()).create(
        OperatorContext.of(allocator));
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long filterProject() {
    long selected = 0;
    for (Batch batch : batches) {
      for (Batch out : operator.process(batch)) {
        selected += out.rowCount();
        out.close();
      }
    }
    return selected;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    operator.close();
    batches.forEach(Batch::close);
    allocator.close();
  }
}
