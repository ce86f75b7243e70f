package io.freshet.exec.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.expr.Expr.ColumnRef;
import io.freshet.exec.expr.Expr.Literal;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** The one-pass filter agrees with plain Java for every comparison, edge constants, NULLs and narrow ints. */
class FusedComparisonTest {
  private static final long[] VALUES = {Long.MIN_VALUE, -8, -7, -1, 0, 1, 6, 7, 14, 5001, Long.MAX_VALUE};

  @Test
  void everyComparisonAgreesWithJava() {
    RowSchema schema = RowSchema.of(Column.of("v", TypeKind.BIGINT), Column.of("i", TypeKind.INT));
    List<Row> rows = new ArrayList<>();
    for (long v : VALUES) {
      rows.add(Row.of(v, (int) v));
    }
    rows.add(Row.of(null, null));
    try (BufferAllocator allocator = new RootAllocator(); Batch batch = BatchBuilder.of(schema, allocator, rows)) {
      for (long c : new long[] {Long.MIN_VALUE, -7, 0, 7, 5000, Long.MAX_VALUE}) {
        check(batch, allocator, Op.EQ, c, v -> v == c);
        check(batch, allocator, Op.NE, c, v -> v != c);
        check(batch, allocator, Op.LT, c, v -> v < c);
        check(batch, allocator, Op.LE, c, v -> v <= c);
        check(batch, allocator, Op.GT, c, v -> v > c);
        check(batch, allocator, Op.GE, c, v -> v >= c);
      }
    }
  }

  private static void check(Batch batch, BufferAllocator allocator, Op op, long c, LongPredicate expected) {
    for (int column = 0; column < 2; column++) {
      TypeKind type = column == 0 ? TypeKind.BIGINT : TypeKind.INT;
      Expr condition = Expr.call(op, TypeKind.BOOLEAN, new ColumnRef(column, type), new Literal(c, TypeKind.BIGINT));
      VectorExpr compiled = VectorExpr.compile(condition);
      FusedComparison fused = FusedComparison.of(compiled);
      assertNotNull(fused, condition.toString());
      int[] selection = new int[batch.rowCount()];
      int kept = fused.filter(EvalContext.all(batch, allocator), selection);
      List<Integer> actual = new ArrayList<>();
      for (int k = 0; k < kept; k++) {
        actual.add(selection[k]);
      }
      List<Integer> want = new ArrayList<>();
      for (int r = 0; r < VALUES.length; r++) {
        long v = column == 0 ? VALUES[r] : (int) VALUES[r];
        if (expected.test(v)) {
          want.add(r);
        }
      }
      assertEquals(want, actual, type + " " + op + " " + c);
    }
  }
}
