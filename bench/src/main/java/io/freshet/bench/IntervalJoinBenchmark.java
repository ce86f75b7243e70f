package io.freshet.bench;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.state.StateBackend;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.QueryPlanner;
import io.freshet.sources.nexmark.NexmarkGenerator;
import io.freshet.sources.nexmark.NexmarkTable;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.streaming.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampMilliVector;
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
 * The interval join of Nexmark auctions and bids, {@code b.auction = a.id AND b.dateTime BETWEEN a.dateTime AND
 * a.dateTime + INTERVAL '10' SECOND}, planned from SQL and run by its operators on one thread as micro-batches of
 * 17 800 events (0.9 s of event time at 20 000 events per second), each followed by the watermark (the batch's
 * latest time minus 4 s) that lets the rows no later row can match go. One invocation runs 64 batches (about 57 s
 * of event time, 1.1 million events) and then ends the input, emptying the state. The score is input rows (auctions
 * and bids) per second; at the end of a trial the state bytes per kept row, measured at the last batch, are
 * printed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class IntervalJoinBenchmark {
  private static final int EVENTS_PER_BATCH = 178 * 100;
  private static final int BATCHES = 64;
  /** Of every 50 events one is a person, 3 are auctions and 46 bids: the rows of a batch the join reads. */
  private static final int ROWS_PER_BATCH = EVENTS_PER_BATCH / 50 * 49;
  private static final String SQL = "SELECT a.id, a.category, b.bidder, b.price, b.dateTime FROM auction a "
      + "JOIN bid b ON b.auction = a.id AND b.dateTime BETWEEN a.dateTime AND a.dateTime + INTERVAL '10' SECOND";

  /** Where the join keeps its rows. */
  @Param({"memory", "rocksdb"})
  public String store;

  private BufferAllocator allocator;
  private final List<Batch> auctions = new ArrayList<>();
  private final List<Batch> bids = new ArrayList<>();
  private final List<Long> watermarks = new ArrayList<>();
  private StreamPlan plan;
  private PlanRun run;
  private java.nio.file.Path directory;
  private long rows;
  private long keptRows;
  private long stateBytes;

  @Setup(Level.Trial)
  public void setUp() throws java.io.IOException {
    allocator = new RootAllocator();
    NexmarkGenerator generator = new NexmarkGenerator(42, 20_000, 1);
    long latest = Long.MIN_VALUE;
    for (int i = 0; i < BATCHES; i++) {
      long from = (long) i * EVENTS_PER_BATCH;
      long to = from + EVENTS_PER_BATCH;
      Batch a = generator.generateBatch(NexmarkTable.AUCTION, NexmarkTable.AUCTION.schema(), 0, from, to, allocator);
      Batch b = generator.generateBatch(NexmarkTable.BID, NexmarkTable.BID.schema(), 0, from, to, allocator);
      latest = Math.max(latest, Math.max(latest(a, NexmarkTable.AUCTION.schema().indexOf("dateTime")),
          latest(b, NexmarkTable.BID.schema().indexOf("dateTime"))));
      auctions.add(a);
      bids.add(b);
      watermarks.add(latest - 4_000);
      rows += a.rowCount() + b.rowCount();
    }
    String watermark = "dateTime - INTERVAL '4' SECOND";
    plan = new QueryPlanner(List.of(
        new PlannerTable("auction", NexmarkTable.AUCTION.schema(), false, "dateTime", watermark,
            () -> FreshetParser.parseExpression(watermark), 0),
        new PlannerTable("bid", NexmarkTable.BID.schema(), false, "dateTime", watermark,
            () -> FreshetParser.parseExpression(watermark), 0)))
        .plan(FreshetParser.parseStatement(SQL)).plan(OutputMode.APPEND);
    directory = java.nio.file.Files.createTempDirectory("freshet-join-bench-");
  }

  private static long latest(Batch batch, int column) {
    TimeStampMilliVector times = (TimeStampMilliVector) batch.vector(column);
    long max = Long.MIN_VALUE;
    for (int r = 0; r < batch.rowCount(); r++) {
      max = Math.max(max, times.get(r));
    }
    return max;
  }

  /** Fresh operators for each invocation: the state starts empty (RocksDB: a new database). */
  @Setup(Level.Invocation)
  public void open() {
    run = new PlanRun(plan, StateBackend.named(store), allocator, directory);
  }

  @Benchmark
  @OperationsPerInvocation(BATCHES * ROWS_PER_BATCH)
  public long join() {
    long out = 0;
    long watermark = Long.MIN_VALUE;
    for (int i = 0; i < BATCHES; i++) {
      run.startBatch(watermark);
      out += run.push(0, auctions.get(i));
      out += run.push(1, bids.get(i));
      watermark = i == BATCHES - 1 ? Long.MAX_VALUE : watermarks.get(i);
      if (i == BATCHES - 1) {
        long[] heap = new long[1];
        keptRows = run.lastState(heap).numRowsTotal();
        stateBytes = heap[0];
      }
      out += run.finishBatch(watermark);
    }
    return out;
  }

  @TearDown(Level.Invocation)
  public void close() {
    run.close();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws java.io.IOException {
    System.out.println();
    System.out.printf("%d input rows per invocation; state at the last batch: %d rows, %d heap bytes = %.1f bytes "
        + "per row%n", rows, keptRows, stateBytes, stateBytes / (double) Math.max(1, keptRows));
    auctions.forEach(Batch::close);
    bids.forEach(Batch::close);
    allocator.close();
    try (var paths = java.nio.file.Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
