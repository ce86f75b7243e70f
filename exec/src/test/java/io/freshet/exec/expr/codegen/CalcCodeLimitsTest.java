package io.freshet.exec.expr.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Values;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Expr.Literal;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calcs at the edges of what generated code can hold: huge expressions and empty batches. */
class CalcCodeLimitsTest {
  private static final Expr.ColumnRef L0 = CalcCodeDifferentialTest.column("l0");
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  /**
   * An OR of 2000 comparisons (as an IN list may become) runs on the kernels; generated, it would not fit the
   * 64 KB of a Java method (Janino fails) nor the stack of the generator.
   */
  @Test
  void aFilterTooBigForOneJavaMethodRunsOnTheKernels() {
    CalcCode code = CalcCode.compile(multipleOfThreeBelow(2000), List.of(L0));
    try (Batch batch = RandomBatches.of(CalcCodeDifferentialTest.SCHEMA, 100, 0.3, new Random(3), allocator)) {
      EvalContext kept = code.filter(EvalContext.all(batch, allocator), new int[batch.rowCount()]);
      int expected = 0;
      for (int row = 0; row < batch.rowCount(); row++) {
        expected += Boolean.TRUE.equals(isMultipleOfThreeBelow(2000, batch, row)) ? 1 : 0;
      }
      assertEquals(expected, kept.count());
    }
  }

  /** A projection too big for one Java method (an OR of 1000 comparisons) runs on the kernels. */
  @Test
  void aProjectionTooBigForOneJavaMethodRunsOnTheKernels() {
    CalcCode code = CalcCode.compile(null, List.of(multipleOfThreeBelow(1000)));
    assertProjects(code, TypeKind.BOOLEAN, (batch, row) -> isMultipleOfThreeBelow(1000, batch, row));
  }

  /** Checks the one projection of {@code code}, of {@code type}, over a random batch with NULLs. */
  private void assertProjects(CalcCode code, TypeKind type, BiFunction<Batch, Integer, Object> expected) {
    try (Batch batch = RandomBatches.of(CalcCodeDifferentialTest.SCHEMA, 100, 0.3, new Random(3), allocator)) {
      List<FieldVector> out = code.project(EvalContext.all(batch, allocator));
      try (FieldVector v = out.get(0)) {
        for (int row = 0; row < batch.rowCount(); row++) {
          assertEquals(expected.apply(batch, row), Values.get(v, type, row), "row " + row);
        }
      }
    }
  }

  /** {@code l0 = 0 OR l0 = 3 OR ... OR l0 = 3 * (n - 1)}. */
  private static Expr multipleOfThreeBelow(int n) {
    List<Expr> terms = new ArrayList<>();
    for (long k = 0; k < n; k++) {
      terms.add(Expr.call(Op.EQ, TypeKind.BOOLEAN, L0, new Literal(k * 3, TypeKind.BIGINT)));
    }
    return new Expr.Call(Op.OR, terms, TypeKind.BOOLEAN);
  }

  /** The value of {@link #multipleOfThreeBelow} at {@code row}. */
  private static Boolean isMultipleOfThreeBelow(int n, Batch batch, int row) {
    Long x = (Long) Values.get(batch.vector(L0.index()), TypeKind.BIGINT, row);
    return x == null ? null : x >= 0 && x < 3L * n && x % 3 == 0;
  }

  /**
   * A CASE of 249 branches (two nodes each) fits the budget; written as one nested conditional expression it was
   * too deep for Janino's parser, and the whole Calc fell back to the kernels.
   */
  @Test
  void aCaseOfManyBranchesIsGenerated() {
    Expr.ColumnRef l1 = CalcCodeDifferentialTest.column("l1");
    Expr.ColumnRef b0 = CalcCodeDifferentialTest.column("b0");
    Expr.ColumnRef b1 = CalcCodeDifferentialTest.column("b1");
    List<Expr> args = new ArrayList<>();
    for (int k = 0; k < 249; k++) {
      args.add(k % 2 == 0 ? b0 : b1);
      args.add(k % 2 == 0 ? L0 : l1);
    }
    args.add(L0);
    CalcCode code = CalcCode.compile(null, List.of(new Expr.Call(Op.CASE, args, TypeKind.BIGINT)));
    assertNotNull(code.source(), "generated");
    assertProjects(code, TypeKind.BIGINT, (batch, row) -> {
      boolean first = Boolean.TRUE.equals(Values.get(batch.vector(b0.index()), TypeKind.BOOLEAN, row));
      boolean second = Boolean.TRUE.equals(Values.get(batch.vector(b1.index()), TypeKind.BOOLEAN, row));
      return Values.get(batch.vector((!first && second ? l1 : L0).index()), TypeKind.BIGINT, row);
    });
  }

  @Test
  void emptyBatchesGiveEmptyColumns() {
    Expr b0 = CalcCodeDifferentialTest.column("b0");
    List<Expr> projections = List.of(Expr.call(Op.PLUS, TypeKind.BIGINT, L0, L0),
        Expr.call(Op.NOT, TypeKind.BOOLEAN, b0));
    CalcCode code = CalcCode.compile(null, projections);
    for (double nulls : new double[] {0, 0.5}) {
      try (Batch batch = RandomBatches.of(CalcCodeDifferentialTest.SCHEMA, 0, nulls, new Random(1), allocator)) {
        List<FieldVector> out = code.project(EvalContext.all(batch, allocator));
        assertEquals(2, out.size());
        out.forEach(v -> assertEquals(0, v.getValueCount()));
        out.forEach(FieldVector::close);
      }
    }
    CalcCode filtered = CalcCode.compile(Expr.call(Op.GT, TypeKind.BOOLEAN, L0, new Literal(0L, TypeKind.BIGINT)),
        projections);
    try (Batch batch = RandomBatches.of(CalcCodeDifferentialTest.SCHEMA, 0, 0, new Random(1), allocator)) {
      assertEquals(0, filtered.filter(EvalContext.all(batch, allocator), new int[0]).count());
    }
  }
}
