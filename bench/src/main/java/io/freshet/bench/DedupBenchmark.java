package io.freshet.bench;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.PlannerTable;
import io.freshet.planner.QueryPlanner;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
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
 * Deduplication over a million keys, {@code ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts [DESC]) = 1}, planned
 * from SQL and run by its operators on one thread: two million rows (every key twice, the second time half a
 * million rows later), in micro-batches of 100 000 rows, their times a millisecond apart and out of order within
 * groups of ten, each batch followed by the watermark (its latest time minus 2 s). Keep-first holds each key's row
 * until the watermark passes it, emits it and keeps a marker, so the second row of every key is dropped against a
 * marker; keep-last replaces each key's row by its second one. Every batch is checkpointed. One invocation starts
 * from an empty state and ends holding a million markers (or rows). The score is input rows per second; at the end
 * of a trial the state it held is printed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class DedupBenchmark {
  private static final int KEYS = 1_000_000;
  private static final int ROWS = 2 * KEYS;
  private static final int ROWS_PER_BATCH = 100_000;
  private static final int BATCHES = ROWS / ROWS_PER_BATCH;
  private static final long BASE = 1_767_225_600_000L;
  private static final RowSchema SCHEMA = RowSchema.of(Column.of("k", TypeKind.BIGINT), Column.of("v", TypeKind.BIGINT),
      Column.of("ts", TypeKind.TIMESTAMP));

  /** Which row of each key it keeps: {@code first} (append) or {@code last} (update). */
  @Param({"first", "last"})
  public String keep;

  /** Where the keys live. */
  @Param({"memory", "rocksdb"})
  public String store;

  private BufferAllocator allocator;
  private final List<Batch> batches = new ArrayList<>();
  private final List<Long> watermarks = new ArrayList<>();
  private StreamPlan plan;
  private PlanRun run;
  private java.nio.file.Path directory;
  private String figures = "";

  @Setup(Level.Trial)
  public void setUp() throws java.io.IOException {
    allocator = new RootAllocator();
    for (int b = 0; b < BATCHES; b++) {
      batches.add(batch(b * ROWS_PER_BATCH));
      watermarks.add(BASE + (long) (b + 1) * ROWS_PER_BATCH - 1 - 2_000);
    }
    String watermark = "ts - INTERVAL '2' SECOND";
    String sql = "SELECT k, v, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts"
        + (keep.equals("last") ? " DESC" : "") + ") AS rn FROM s) WHERE rn = 1";
    plan = new QueryPlanner(List.of(new PlannerTable("s", SCHEMA, false, "ts", watermark,
        () -> FreshetParser.parseExpression(watermark), 0)))
        .plan(FreshetParser.parseStatement(sql)).plan(keep.equals("last") ? OutputMode.UPDATE : OutputMode.APPEND);
    if (!plan.explain().contains("Deduplicate")) {
      throw new IllegalStateException("not planned as a deduplication:\n" + plan.explain());
    }
    directory = java.nio.file.Files.createTempDirectory("freshet-dedup-bench-");
  }

  /**
   * Rows {@code from..from+ROWS_PER_BATCH-1}: row i has key {@code i * 435761 mod 1 000 000} (a permutation of the
   * keys in each million rows) and time {@code i} ms, reversed within each group of ten rows.
   */
  private Batch batch(int from) {
    List<FieldVector> vectors = new ArrayList<>();
    for (Column c : SCHEMA.columns()) {
      FieldVector v = Vectors.allocate(c.type(), ROWS_PER_BATCH, allocator);
      Vectors.setAllValid(v, ROWS_PER_BATCH);
      vectors.add(v);
    }
    long keys = Vectors.data(vectors.get(0));
    long values = Vectors.data(vectors.get(1));
    long times = Vectors.data(vectors.get(2));
    for (int r = 0; r < ROWS_PER_BATCH; r++) {
      long i = from + r;
      long offset = (long) r << 3;
      MemoryUtil.putLong(keys + offset, i * 435_761 % KEYS);
      MemoryUtil.putLong(values + offset, i);
      MemoryUtil.putLong(times + offset, BASE + i - i % 10 + (9 - i % 10));
    }
    return Batch.of(SCHEMA, vectors, ROWS_PER_BATCH);
  }

  /** Fresh operators for each invocation: the state starts empty (RocksDB: a new database). */
  @Setup(Level.Invocation)
  public void open() {
    run = new PlanRun(plan, StateBackend.named(store), allocator, directory);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long deduplicate() {
    long out = 0;
    long watermark = Long.MIN_VALUE;
    for (int i = 0; i < BATCHES; i++) {
      run.startBatch(watermark);
      out += run.push(0, batches.get(i));
      watermark = watermarks.get(i);
      out += run.finishBatch(watermark);
      // Each batch is checkpointed, as in a query: the memory store writes the keys it changed (every tenth
      // version all of them), RocksDB writes them and drops them from memory.
      run.commit(i);
    }
    long[] heap = new long[1];
    StateOperatorProgress p = run.lastState(heap);
    figures = p.numRowsTotal() + " keys held " + p.customMetrics() + ", " + heap[0] + " heap bytes";
    return out;
  }

  @TearDown(Level.Invocation)
  public void close() {
    run.close();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws java.io.IOException {
    System.out.println();
    System.out.println(ROWS + " input rows per invocation; at the end: " + figures);
    batches.forEach(Batch::close);
    allocator.close();
    try (var paths = java.nio.file.Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
