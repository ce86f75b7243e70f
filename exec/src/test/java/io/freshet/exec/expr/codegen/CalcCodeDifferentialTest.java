package io.freshet.exec.expr.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Values;
import io.freshet.exec.expr.ConstantVectors;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Expr.ColumnRef;
import io.freshet.exec.expr.Expr.Literal;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.expr.Predicate;
import io.freshet.exec.expr.VectorExpr;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated code against the kernels: the same filters and projections over the same random batches, with
 * and without NULLs (and with arbitrary values under the NULLs, as Arrow allows), must give the same rows and the
 * same values, NULLs, wrapped overflows and NULLs of division by zero included.
 */
class CalcCodeDifferentialTest {
  static final RowSchema SCHEMA = RowSchema.of(Column.of("i0", TypeKind.INT), Column.of("i1", TypeKind.INT),
      Column.of("l0", TypeKind.BIGINT), Column.of("l1", TypeKind.BIGINT), Column.of("d0", TypeKind.DOUBLE),
      Column.of("d1", TypeKind.DOUBLE), Column.of("b0", TypeKind.BOOLEAN), Column.of("b1", TypeKind.BOOLEAN),
      Column.of("t0", TypeKind.TIMESTAMP), Column.of("s0", TypeKind.VARCHAR));
  private static final int[] SIZES = {1, 7, 63, 64, 65, 200, 1031};

  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  static ColumnRef column(String name) {
    int index = SCHEMA.indexOf(name);
    return new ColumnRef(index, SCHEMA.column(index).type());
  }

  static Literal lit(Object value, TypeKind type) {
    return new Literal(value, type);
  }

  static Expr call(Op op, TypeKind type, Expr... args) {
    return Expr.call(op, type, args);
  }

  @Test
  void everyOperatorAgreesWithTheKernels() {
    ColumnRef i0 = column("i0");
    ColumnRef i1 = column("i1");
    ColumnRef l0 = column("l0");
    ColumnRef l1 = column("l1");
    ColumnRef d0 = column("d0");
    ColumnRef d1 = column("d1");
    ColumnRef b0 = column("b0");
    ColumnRef b1 = column("b1");
    ColumnRef t0 = column("t0");
    List<Expr> projections = new ArrayList<>();
    for (Op op : List.of(Op.PLUS, Op.MINUS, Op.TIMES, Op.DIVIDE, Op.MOD)) {
      projections.add(call(op, TypeKind.INT, i0, i1));
      projections.add(call(op, TypeKind.BIGINT, l0, l1));
      projections.add(call(op, TypeKind.BIGINT, l0, i1));
      projections.add(call(op, TypeKind.DOUBLE, d0, d1));
      projections.add(call(op, TypeKind.DOUBLE, d0, i0));
      // Calcite types MOD(BIGINT, INT) as INT: computed in 64 bits, then narrowed.
      projections.add(call(op, TypeKind.INT, l0, i1));
      for (long constant : new long[] {0, 1, -1, 7, -7, 1L << 33, Long.MIN_VALUE}) {
        projections.add(call(op, TypeKind.BIGINT, l0, lit(constant, TypeKind.BIGINT)));
        projections.add(call(op, TypeKind.INT, i0, lit((int) constant, TypeKind.INT)));
      }
      projections.add(call(op, TypeKind.DOUBLE, d0, lit(0.0, TypeKind.DOUBLE)));
      projections.add(call(op, TypeKind.DOUBLE, d0, lit(-2.5, TypeKind.DOUBLE)));
      projections.add(call(op, TypeKind.BIGINT, lit(Long.MIN_VALUE, TypeKind.BIGINT), l1));
      projections.add(call(op, TypeKind.BIGINT, l0, lit(null, TypeKind.BIGINT)));
    }
    // MOD(x, d) = 0 is a test of divisibility, for odd, even and power-of-two divisors of either sign.
    for (long d : new long[] {2, 3, 7, -7, 12, 1 << 20, 1_000_000_007, Integer.MAX_VALUE, Long.MAX_VALUE, -6}) {
      projections.add(call(Op.EQ, TypeKind.BOOLEAN, call(Op.MOD, TypeKind.BIGINT, l0, lit(d, TypeKind.BIGINT)),
          lit(0L, TypeKind.BIGINT)));
      projections.add(call(Op.NE, TypeKind.BOOLEAN, call(Op.MOD, TypeKind.INT, i0, lit((int) d, TypeKind.INT)),
          lit(0, TypeKind.INT)));
    }
    projections.add(call(Op.PLUS, TypeKind.TIMESTAMP, t0, lit(1000L, TypeKind.BIGINT)));
    projections.add(call(Op.MINUS, TypeKind.TIMESTAMP, t0, l1));
    projections.add(call(Op.NEGATE, TypeKind.BIGINT, l0));
    projections.add(call(Op.NEGATE, TypeKind.INT, i0));
    projections.add(call(Op.ABS, TypeKind.DOUBLE, d0));
    projections.add(call(Op.ABS, TypeKind.INT, i1));
    for (Op op : List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE)) {
      projections.add(call(op, TypeKind.BOOLEAN, i0, i1));
      projections.add(call(op, TypeKind.BOOLEAN, l0, i1));
      projections.add(call(op, TypeKind.BOOLEAN, d0, d1));
      projections.add(call(op, TypeKind.BOOLEAN, d0, l1));
      projections.add(call(op, TypeKind.BOOLEAN, b0, b1));
      projections.add(call(op, TypeKind.BOOLEAN, t0, t0));
      projections.add(call(op, TypeKind.BOOLEAN, d0, lit(-0.0, TypeKind.DOUBLE)));
      projections.add(call(op, TypeKind.BOOLEAN, d0, lit(Double.NaN, TypeKind.DOUBLE)));
      projections.add(call(op, TypeKind.BOOLEAN, l0, lit(5L, TypeKind.BIGINT)));
      projections.add(call(op, TypeKind.BOOLEAN, t0, lit(LocalDateTime.of(2026, 1, 1, 0, 0), TypeKind.TIMESTAMP)));
    }
    Expr cmp0 = call(Op.GT, TypeKind.BOOLEAN, l0, l1);
    Expr cmp1 = call(Op.LT, TypeKind.BOOLEAN, d0, d1);
    for (Expr a : List.of(b0, cmp0, lit(null, TypeKind.BOOLEAN), lit(true, TypeKind.BOOLEAN))) {
      for (Expr b : List.of(b1, cmp1, lit(null, TypeKind.BOOLEAN), lit(false, TypeKind.BOOLEAN))) {
        projections.add(call(Op.AND, TypeKind.BOOLEAN, a, b));
        projections.add(call(Op.OR, TypeKind.BOOLEAN, a, b));
      }
      for (Op op : List.of(Op.NOT, Op.IS_NULL, Op.IS_NOT_NULL, Op.IS_TRUE, Op.IS_NOT_TRUE, Op.IS_FALSE,
          Op.IS_NOT_FALSE)) {
        projections.add(call(op, TypeKind.BOOLEAN, a));
      }
    }
    projections.add(call(Op.AND, TypeKind.BOOLEAN, b0, b1, cmp0, cmp1));
    projections.add(call(Op.IS_NULL, TypeKind.BOOLEAN, column("s0")));
    projections.add(call(Op.IS_NOT_NULL, TypeKind.BOOLEAN, column("s0")));
    projections.add(call(Op.IS_NULL, TypeKind.BOOLEAN, l0));
    for (TypeKind from : List.of(TypeKind.INT, TypeKind.BIGINT, TypeKind.DOUBLE, TypeKind.TIMESTAMP)) {
      Expr value = from == TypeKind.INT ? i0 : from == TypeKind.BIGINT ? l0 : from == TypeKind.DOUBLE ? d0 : t0;
      for (TypeKind to : List.of(TypeKind.INT, TypeKind.BIGINT, TypeKind.DOUBLE, TypeKind.TIMESTAMP)) {
        projections.add(call(Op.CAST, to, value));
      }
    }
    projections.add(call(Op.CASE, TypeKind.BIGINT, b0, l0, cmp1, l1, lit(-1L, TypeKind.BIGINT)));
    projections.add(call(Op.CASE, TypeKind.DOUBLE, cmp0, d0, d1));
    projections.add(call(Op.CASE, TypeKind.BOOLEAN, b0, b1, lit(null, TypeKind.BOOLEAN)));
    projections.add(call(Op.CASE, TypeKind.INT, lit(null, TypeKind.BOOLEAN), i0, i1));
    projections.add(call(Op.CASE, TypeKind.INT, cmp0, i0));
    // A few at a time (so a failure names a short source), then all of them in one loop.
    for (int from = 0; from < projections.size(); from += 12) {
      checkAll(null, projections.subList(from, Math.min(from + 12, projections.size())));
    }
    checkAll(null, projections);
    checkAll(call(Op.GT, TypeKind.BOOLEAN, l0, i1), projections);
  }

  @Test
  void everyFilterAgreesWithTheKernels() {
    ColumnRef l0 = column("l0");
    List<Expr> conditions = List.of(
        call(Op.EQ, TypeKind.BOOLEAN, call(Op.MOD, TypeKind.INT, l0, lit(7, TypeKind.INT)), lit(0, TypeKind.INT)),
        call(Op.AND, TypeKind.BOOLEAN,
            call(Op.EQ, TypeKind.BOOLEAN, call(Op.MOD, TypeKind.BIGINT, l0, lit(7L, TypeKind.BIGINT)),
                lit(0L, TypeKind.BIGINT)),
            call(Op.GT, TypeKind.BOOLEAN, column("l1"), lit(5000L, TypeKind.BIGINT))),
        call(Op.OR, TypeKind.BOOLEAN, column("b0"), call(Op.LT, TypeKind.BOOLEAN, column("d0"), column("d1"))),
        call(Op.NOT, TypeKind.BOOLEAN, call(Op.IS_NOT_FALSE, TypeKind.BOOLEAN, column("b1"))),
        call(Op.AND, TypeKind.BOOLEAN, column("b0"), lit(null, TypeKind.BOOLEAN)),
        call(Op.IS_NULL, TypeKind.BOOLEAN, call(Op.DIVIDE, TypeKind.INT, column("i0"), column("i1"))),
        lit(true, TypeKind.BOOLEAN));
    for (Expr condition : conditions) {
      checkAll(condition, List.of(column("i0"), call(Op.TIMES, TypeKind.BIGINT, l0, lit(3L, TypeKind.BIGINT))));
    }
  }

  /**
   * NULLs that come from division by zero, not from a column, in batches without NULL columns too: SQL's AND,
   * OR, NOT, CASE and the null tests over them, in projections and as filters.
   */
  @Test
  void nullsOfDivisionByZeroFollowThreeValuedLogic() {
    Expr byZero = call(Op.GT, TypeKind.BOOLEAN, call(Op.DIVIDE, TypeKind.INT, column("i0"), column("i1")),
        lit(0, TypeKind.INT));
    Expr modZero = call(Op.EQ, TypeKind.BOOLEAN, call(Op.MOD, TypeKind.BIGINT, column("l0"), column("l1")),
        lit(0L, TypeKind.BIGINT));
    List<Expr> projections = new ArrayList<>();
    for (Expr other : List.of(column("b0"), modZero, lit(true, TypeKind.BOOLEAN), lit(false, TypeKind.BOOLEAN))) {
      for (Op op : List.of(Op.AND, Op.OR)) {
        projections.add(call(op, TypeKind.BOOLEAN, byZero, other));
        projections.add(call(op, TypeKind.BOOLEAN, other, byZero));
        projections.add(call(Op.NOT, TypeKind.BOOLEAN, call(op, TypeKind.BOOLEAN, byZero, other)));
      }
    }
    projections.add(call(Op.CASE, TypeKind.BIGINT, byZero, column("l0"), modZero, lit(null, TypeKind.BIGINT),
        call(Op.DIVIDE, TypeKind.BIGINT, column("l1"), column("l0"))));
    projections.add(call(Op.IS_NOT_TRUE, TypeKind.BOOLEAN, call(Op.OR, TypeKind.BOOLEAN, byZero, modZero)));
    checkAll(null, projections);
    for (Expr p : projections) {
      checkAll(p.type() == TypeKind.BOOLEAN ? p : byZero, List.of(column("l0")));
    }
  }

  @Test
  void randomExpressionsAgreeWithTheKernels() {
    RandomExpressions expressions = new RandomExpressions(new Random(17));
    for (int round = 0; round < 60; round++) {
      Expr condition = expressions.of(TypeKind.BOOLEAN, 3);
      List<Expr> projections = new ArrayList<>();
      for (TypeKind type : List.of(TypeKind.INT, TypeKind.BIGINT, TypeKind.DOUBLE, TypeKind.BOOLEAN)) {
        projections.add(expressions.of(type, 3));
      }
      checkAll(round % 3 == 0 ? null : condition, projections);
    }
  }

  /** Checks one Calc over batches of every size, without NULLs and with NULLs in every column. */
  private void checkAll(Expr condition, List<Expr> projections) {
    List<Expr> all = new ArrayList<>(projections);
    if (condition != null) {
      all.add(condition);
    }
    for (Expr e : all) {
      // Every one of these is supported, unless the kernels' compiler folds it to a constant.
      Expr explicit = VectorExpr.explicit(e);
      assertTrue(explicit instanceof Literal || RowWriter.supports(explicit), () -> "not generated: " + e);
    }
    CalcCode code = CalcCode.compile(condition, projections);
    Random random = new Random(condition == null ? projections.hashCode() : condition.hashCode());
    for (int size : SIZES) {
      for (double nulls : new double[] {0, 0.3}) {
        try (Batch batch = RandomBatches.of(SCHEMA, size, nulls, random, allocator)) {
          check(code, condition, projections, batch);
        }
      }
    }
  }

  private void check(CalcCode code, Expr condition, List<Expr> projections, Batch batch) {
    String where = (condition == null ? "" : "WHERE " + condition + " ") + "over " + batch.rowCount() + " rows:\n"
        + code.source();
    EvalContext all = EvalContext.all(batch, allocator);
    EvalContext expectedRows = all;
    int[] expectedSelection = new int[batch.rowCount()];
    if (condition != null) {
      expectedRows = Predicate.compile(condition).apply(all, expectedSelection);
    }
    int[] selection = new int[batch.rowCount()];
    EvalContext actualRows = code.filters() ? code.filter(all, selection) : all;
    assertEquals(expectedRows.count(), actualRows.count(), () -> "rows kept " + where);
    for (int i = 0; i < expectedRows.count(); i++) {
      assertEquals(expectedRows.row(i), actualRows.row(i), "row " + i + " " + where);
    }
    List<FieldVector> actual = code.project(actualRows);
    try {
      for (int p = 0; p < projections.size(); p++) {
        VectorExpr kernel = VectorExpr.compile(projections.get(p));
        try (FieldVector expected = kernel.isConstant()
            ? ConstantVectors.expand(kernel.evaluate(expectedRows), kernel.type(), expectedRows)
            : kernel.evaluate(expectedRows)) {
          TypeKind type = projections.get(p).type();
          assertEquals(expected.getValueCount(), actual.get(p).getValueCount());
          for (int i = 0; i < expectedRows.count(); i++) {
            Object want = Values.get(expected, type, i);
            Object got = Values.get(actual.get(p), type, i);
            int row = i;
            int projection = p;
            assertEquals(want, got, () -> "projection " + projections.get(projection) + " at row " + row + " "
                + where);
          }
        }
      }
    } finally {
      actual.forEach(FieldVector::close);
    }
  }

  @Test
  void aRemainderComparedWithZeroIsATestOfDivisibility() {
    Expr condition = call(Op.EQ, TypeKind.BOOLEAN, call(Op.MOD, TypeKind.BIGINT, column("l0"),
        lit(12L, TypeKind.BIGINT)), lit(0L, TypeKind.BIGINT));
    String source = CalcCode.compile(condition, List.of(column("l0"))).source();
    assertTrue(source.contains("divisible(") && !source.contains(" % "), source);
    checkAll(condition, List.of(column("l0")));
  }

  @Test
  void theSameCalcCompilesOnce() {
    Expr condition = call(Op.GT, TypeKind.BOOLEAN, column("l0"), lit(424242L, TypeKind.BIGINT));
    CalcCode first = CalcCode.compile(condition, List.of(column("l0")));
    int cached = CodeCache.entries().size();
    CalcCode second = CalcCode.compile(condition, List.of(column("l0")));
    assertEquals(cached, CodeCache.entries().size());
    assertTrue(first.source() == second.source(), "the second compile reuses the first's class");
  }

  @Test
  void whatIsNotSupportedRunsOnTheKernels() {
    Expr upper = call(Op.UPPER, TypeKind.VARCHAR, column("s0"));
    Expr like = call(Op.LIKE, TypeKind.BOOLEAN, column("s0"), lit("a%", TypeKind.VARCHAR));
    Expr positive = call(Op.GT, TypeKind.BOOLEAN, column("l0"), lit(0L, TypeKind.BIGINT));
    // Nothing to generate: a string function and a bare column.
    assertEquals(null, CalcCode.compile(like, List.of(upper, column("l0"))).source());
    // The first conjunct is generated, the LIKE after it and the string projection run on the kernels.
    Expr condition = call(Op.AND, TypeKind.BOOLEAN, positive, like);
    Expr sum = call(Op.PLUS, TypeKind.BIGINT, column("l0"), column("l1"));
    CalcCode code = CalcCode.compile(condition, List.of(upper, sum));
    assertTrue(code.source().contains("filter:  GT($2, 0:BIGINT):BOOLEAN"), code.source());
    assertTrue(!code.source().contains("UPPER") && !code.source().contains("LIKE"), code.source());
    Random random = new Random(5);
    for (double nulls : new double[] {0, 0.3}) {
      try (Batch batch = RandomBatches.of(SCHEMA, 300, nulls, random, allocator)) {
        check(code, condition, List.of(upper, sum), batch);
      }
    }
  }

  @Test
  void generationCanBeTurnedOff() {
    System.setProperty(CalcCode.ENABLED_PROPERTY, "false");
    try {
      assertEquals(null, CalcCode.compile(null, List.of(call(Op.NEGATE, TypeKind.BIGINT, column("l0")))).source());
    } finally {
      System.clearProperty(CalcCode.ENABLED_PROPERTY);
    }
  }
}
