package io.freshet.exec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.Source;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.exec.operator.UnionOperator;
import io.freshet.exec.plan.Distribution;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.Trigger;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A query over two inputs takes the smaller of their watermarks; an input without rows for its idle timeout (on
 * a clock the test moves) stops holding the watermark back, and holds it again once it has rows. (SQL queries
 * read one stream until joins and unions arrive; the plan here unites two inputs.)
 */
class IdleInputTest {
  private static final RowSchema EVENTS = RowSchema.of(Column.of("ts", TypeKind.TIMESTAMP));
  private static final RowSchema WINDOWED = RowSchema.of(Column.of("ts", TypeKind.TIMESTAMP),
      Column.of("window_start", TypeKind.TIMESTAMP), Column.of("window_end", TypeKind.TIMESTAMP),
      Column.of("window_time", TypeKind.TIMESTAMP));
  private static final RowSchema COUNTS = RowSchema.of(Column.of("window_end", TypeKind.TIMESTAMP),
      Column.of("c", TypeKind.BIGINT));

  private BufferAllocator allocator;
  private MemoryStream fast;
  private MemoryStream slow;
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<Row> output = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    fast = new MemoryStream("fast", EVENTS, allocator);
    slow = new MemoryStream("slow", EVENTS, allocator);
  }

  @AfterEach
  void tearDown() {
    fast.close();
    slow.close();
    allocator.close();
  }

  private static Row at(int seconds) {
    return Row.of(LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(seconds));
  }

  /** A source over a memory stream. */
  private static Source source(MemoryStream stream, BufferAllocator allocator) {
    return new Source() {
      @Override
      public RowSchema schema() {
        return EVENTS;
      }

      @Override
      public Offset latestOffset() {
        return stream.latestOffset();
      }

      @Override
      public Iterator<Batch> read(Offset start, Offset end) {
        return stream.read(start, end, allocator);
      }

      @Override
      public void prepareForAvailableNow() {
      }

      @Override
      public void endAvailableNow() {
      }
    };
  }

  private StreamExecution start() {
    Expr ts = new Expr.ColumnRef(0, TypeKind.TIMESTAMP);
    List<QueryDefinition.SourceBinding> sources = List.of(
        new QueryDefinition.SourceBinding("fast", run -> source(fast, run.childAllocator("fast"))),
        new QueryDefinition.SourceBinding("slow", run -> source(slow, run.childAllocator("slow"))));
    WindowAssignOperator.Spec window = new WindowAssignOperator.Spec(0, 10_000, 10_000, 0, new int[] {0}, WINDOWED);
    HashAggregateOperator.Spec counts = new HashAggregateOperator.Spec(new int[] {2},
        List.of(new AggregateCall(AggregateCall.Kind.COUNT, -1, null, TypeKind.BIGINT)), COUNTS, 0, 0,
        HashAggregateOperator.Emit.ON_CLOSE);
    StreamPlan.Builder plan = StreamPlan.builder();
    int union = plan.node(new UnionOperator.Spec(EVENTS), Distribution.ANY,
        plan.source("fast", EVENTS, false, ts, "ts", 0), plan.source("slow", EVENTS, false, ts, "ts", 5_000));
    int root = plan.node(counts, Distribution.hash(2), plan.node(window, union));
    Sink sink = (batchId, mode) -> new BatchWriter() {
      private final List<Row> rows = new ArrayList<>();

      @Override
      public void write(Batch batch) {
        rows.addAll(batch.rows());
      }

      @Override
      public void commit() {
        output.addAll(rows);
      }

      @Override
      public void abort() {
      }
    };
    QueryDefinition definition = new QueryDefinition("idle", null, Trigger.ProcessingTime(0), OutputMode.APPEND,
        plan.build(root), sources, run -> sink, "test", null, null, 1, clock::get, null);
    return StreamExecution.start(definition, allocator, q -> { }, q -> { });
  }

  @Test
  void anIdleInputStopsHoldingBackTheWatermark() {
    StreamExecution query = start();
    try {
      fast.addData(at(1), at(2));
      slow.addData(at(3));
      query.processAllAvailable();
      // Both inputs have rows: the watermark is the smaller, 2 s.
      fast.addData(at(25));
      query.processAllAvailable();
      assertEquals(List.of(), output, "the slow input holds the watermark at 3 s");
      // Four seconds later the slow input is not idle yet.
      clock.addAndGet(4_000);
      fast.addData(at(26));
      query.processAllAvailable();
      assertEquals(List.of(), output);
      // After five seconds without rows it is: the fast input's watermark (27 s) closes [0 s, 10 s).
      clock.addAndGet(1_000);
      fast.addData(at(27));
      query.processAllAvailable();
      assertEquals(List.of(Row.of(at(10).get(0), 3L)), output);
      // Rows make the slow input active again; the watermark never goes back, so 12 s is late...
      slow.addData(at(12), at(28));
      fast.addData(at(40));
      query.processAllAvailable();
      // ...and the watermark is now the smaller again (28 s): [20 s, 30 s) stays open.
      assertEquals(List.of(Row.of(at(10).get(0), 3L)), output);
      // A minute without rows from the slow input: idle again, so the fast input's 41 s closes [20 s, 30 s).
      clock.addAndGet(60_000);
      fast.addData(at(41));
      query.processAllAvailable();
      assertEquals(List.of(Row.of(at(10).get(0), 3L), Row.of(at(30).get(0), 4L)), output);
    } finally {
      query.stop();
    }
  }
}
