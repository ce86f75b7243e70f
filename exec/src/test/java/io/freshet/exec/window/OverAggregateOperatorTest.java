package io.freshet.exec.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.aggregate.AggregateCall;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Row;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OVER aggregation operator on its own: rows held until the watermark passes them, late ones dropped and counted,
 * RANGE peers together, and sums of doubles that do not depend on the order values leave the frame in.
 */
class OverAggregateOperatorTest {
  private static final RowSchema INPUT = RowSchema.of(Column.of("k", TypeKind.VARCHAR),
      Column.of("v", TypeKind.DOUBLE), Column.of("ts", TypeKind.TIMESTAMP));

  private BufferAllocator allocator;
  private OperatorContext context;
  private OverAggregateOperator operator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    context = OperatorContext.of(allocator);
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    allocator.close();
  }

  private static LocalDateTime at(int seconds) {
    return LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(seconds);
  }

  /** COUNT(*) and SUM(v) over k's rows: RANGE of {@code preceding} ms, or ROWS. */
  private OverAggregateOperator over(boolean rows, long preceding) {
    List<Column> out = new ArrayList<>(INPUT.columns());
    out.add(Column.of("n", TypeKind.BIGINT));
    out.add(new Column("total", TypeKind.DOUBLE, true));
    List<AggregateCall> calls = List.of(new AggregateCall(AggregateCall.Kind.COUNT, -1, null, TypeKind.BIGINT),
        new AggregateCall(AggregateCall.Kind.SUM, 1, TypeKind.DOUBLE, TypeKind.DOUBLE));
    return new OverAggregateOperator.Spec(2, new int[] {0}, rows, preceding, calls, new RowSchema(out))
        .create(context);
  }

  /** One micro-batch: the watermark in force, the rows, and the watermark after them; returns what came out. */
  private List<Row> batch(long watermarkBefore, long watermarkAfter, Row... rows) {
    operator.startBatch(watermarkBefore);
    try (Batch input = BatchBuilder.of(INPUT, allocator, List.of(rows))) {
      assertTrue(operator.process(input).isEmpty());
    }
    List<Row> out = new ArrayList<>();
    for (Batch b : operator.finishBatch(watermarkAfter)) {
      try (b) {
        out.addAll(b.rows());
      }
    }
    return out;
  }

  private static long ms(int seconds) {
    return at(seconds).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
  }

  @Test
  void lateRowsAreDroppedAndCountedAndTheRestWaitForTheWatermark() {
    operator = over(false, 10_000);
    // Nothing is due before the watermark passes 5 s.
    assertEquals(List.of(), batch(Long.MIN_VALUE, ms(5), Row.of("a", 1.0, at(5)), Row.of("a", 2.0, at(6))));
    assertEquals(0, context.lateRows().take());
    // With the watermark at 5 s, a row at 4 s is late and one with null time too; a peer at 5 s is not.
    List<Row> out = batch(ms(5), ms(7), Row.of("a", 4.0, at(4)), Row.of("a", 8.0, (LocalDateTime) null),
        Row.of("a", 0.5, at(5)));
    assertEquals(2, context.lateRows().take());
    // The peers at 5 s include each other; the row at 6 s sees both.
    assertEquals(List.of(Row.of("a", 1.0, at(5), 2L, 1.5), Row.of("a", 0.5, at(5), 2L, 1.5),
        Row.of("a", 2.0, at(6), 3L, 3.5)), out);
  }

  @Test
  void aRowsFrameTakesTiesInArrivalOrderAndSumsDoublesExactly() {
    operator = over(true, 1);
    List<Row> out = batch(Long.MIN_VALUE, ms(10), Row.of("a", 0.5, at(1)), Row.of("a", 1e17, at(1)),
        Row.of("a", 1.0, at(2)), Row.of("a", 2.0, at(3)), Row.of("b", Double.NaN, at(2)), Row.of("b", 3.0, at(3)),
        Row.of("b", 4.0, at(4)));
    // Ties at 1 s in the order they came. Summed in doubles, 1e17 + 1.0 - 1e17 + 2.0 would give 2.0: the 1.0 was
    // lost next to 1e17; the frame's exact sum gives 3.0. NaN leaves the frame with its row.
    assertEquals(List.of(Row.of("a", 0.5, at(1), 1L, 0.5), Row.of("a", 1e17, at(1), 2L, 1e17),
        Row.of("a", 1.0, at(2), 2L, 1e17), Row.of("a", 2.0, at(3), 2L, 3.0),
        Row.of("b", Double.NaN, at(2), 1L, Double.NaN), Row.of("b", 3.0, at(3), 2L, Double.NaN),
        Row.of("b", 4.0, at(4), 2L, 7.0)), out);
  }
}
