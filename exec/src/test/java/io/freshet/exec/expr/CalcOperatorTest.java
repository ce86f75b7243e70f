package io.freshet.exec.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.expr.Expr.ColumnRef;
import io.freshet.exec.expr.Expr.Literal;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kernels through the Calc operator, over batches with NULLs; the allocator must end with nothing leaked. */
class CalcOperatorTest {
  private static final RowSchema INPUT = RowSchema.of(Column.of("a", TypeKind.BIGINT), Column.of("b", TypeKind.INT),
      Column.of("d", TypeKind.DOUBLE), Column.of("s", TypeKind.VARCHAR), Column.of("f", TypeKind.BOOLEAN));
  private static final ColumnRef A = new ColumnRef(0, TypeKind.BIGINT);
  private static final ColumnRef B = new ColumnRef(1, TypeKind.INT);
  private static final ColumnRef D = new ColumnRef(2, TypeKind.DOUBLE);
  private static final ColumnRef S = new ColumnRef(3, TypeKind.VARCHAR);
  private static final ColumnRef F = new ColumnRef(4, TypeKind.BOOLEAN);

  private BufferAllocator allocator;
  private Batch input;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    input = BatchBuilder.of(INPUT, allocator, List.of(
        Row.of(10L, 3, 1.5, "abc", true),
        Row.of(-7L, 0, -2.0, "Straße", false),
        Row.of(null, 2, null, null, null),
        Row.of(21L, null, 0.0, "  pad  ", true),
        Row.of(14L, 7, 8.25, "a%b_c", false)));
  }

  @AfterEach
  void tearDown() {
    input.close();
    allocator.close();
  }

  private List<Row> run(Expr condition, Expr... projections) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < projections.length; i++) {
      columns.add(Column.of("c" + i, projections[i].type()));
    }
    List<Row> rows = new ArrayList<>();
    try (CalcOperator op = new CalcOperator.Spec(condition, List.of(projections), new RowSchema(columns))
        .create(OperatorContext.of(allocator))) {
      for (Batch out : op.process(input)) {
        try (out) {
          rows.addAll(out.rows());
        }
      }
    }
    return rows;
  }

  private static Expr call(Op op, TypeKind type, Expr... args) {
    return Expr.call(op, type, args);
  }

  private static Literal lit(Object value, TypeKind type) {
    return new Literal(value, type);
  }

  @Test
  void arithmeticPropagatesNullAndDivisionByZeroIsNull() {
    List<Row> rows = run(null,
        call(Op.PLUS, TypeKind.BIGINT, A, B),
        call(Op.DIVIDE, TypeKind.INT, B, lit(2, TypeKind.INT)),
        call(Op.MOD, TypeKind.BIGINT, A, B),
        call(Op.TIMES, TypeKind.DOUBLE, D, lit(2.0, TypeKind.DOUBLE)),
        call(Op.NEGATE, TypeKind.BIGINT, A),
        call(Op.ABS, TypeKind.BIGINT, A));
    assertEquals(List.of(
        Row.of(13L, 1, 1L, 3.0, -10L, 10L),
        Row.of(-7L, 0, null, -4.0, 7L, 7L),
        Row.of(null, 1, null, null, null, null),
        Row.of(null, null, null, 0.0, -21L, 21L),
        Row.of(21L, 3, 0L, 16.5, -14L, 14L)), rows);
  }

  @Test
  void constantOperandsOnBothSidesGiveOneValuePerRow() {
    assertEquals(List.of(Row.of(3L, 1L), Row.of(3L, 1L), Row.of(3L, 1L), Row.of(3L, 1L), Row.of(3L, 1L)),
        run(null, call(Op.DIVIDE, TypeKind.BIGINT, lit(7L, TypeKind.BIGINT), lit(2L, TypeKind.BIGINT)),
            call(Op.MOD, TypeKind.BIGINT, lit(7L, TypeKind.BIGINT), lit(3L, TypeKind.BIGINT))));
  }

  @Test
  void aLiteralThatDoesNotConvertIsNull() {
    // b = 'abc' compares INT with text that is no INT: NULL, so the filter keeps nothing (b = 0 exists).
    assertEquals(List.of(), run(call(Op.EQ, TypeKind.BOOLEAN, B, lit("abc", TypeKind.VARCHAR)), A));
    assertEquals(List.of(Row.of((Object) null), Row.of((Object) null), Row.of((Object) null), Row.of((Object) null),
        Row.of((Object) null)), run(null, call(Op.PLUS, TypeKind.INT, B, lit("abc", TypeKind.VARCHAR))));
  }

  @Test
  void doubleDivisionByZeroIsNullAndMinusZeroEqualsZero() {
    assertEquals(List.of(Row.of(null, false), Row.of(null, false), Row.of(null, null), Row.of(null, true),
        Row.of(null, false)),
        run(null, call(Op.DIVIDE, TypeKind.DOUBLE, D, lit(0.0, TypeKind.DOUBLE)),
            call(Op.EQ, TypeKind.BOOLEAN, D, lit(-0.0, TypeKind.DOUBLE))));
  }

  @Test
  void castOfALargeDoubleToIntSaturates() {
    Expr big = call(Op.TIMES, TypeKind.DOUBLE, D, lit(2e9, TypeKind.DOUBLE));
    assertEquals(List.of(Row.of(Integer.MAX_VALUE), Row.of(Integer.MIN_VALUE), Row.of((Object) null), Row.of(0),
        Row.of(Integer.MAX_VALUE)), run(null, call(Op.CAST, TypeKind.INT, big)));
  }

  @Test
  void trimCharactersMustBeALiteral() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.freshet.streaming.FreshetException.class,
        () -> run(null, call(Op.TRIM_BOTH, TypeKind.VARCHAR, S, S)));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("literal"), e.getMessage());
  }

  @Test
  void modByConstantMatchesJavaForNegatives() {
    assertEquals(List.of(Row.of(3L), Row.of(0L), Row.of((Object) null), Row.of(0L), Row.of(0L)),
        run(null, call(Op.MOD, TypeKind.BIGINT, A, lit(7L, TypeKind.BIGINT))));
    assertEquals(List.of(Row.of(0L), Row.of(-2L), Row.of((Object) null), Row.of(1L), Row.of(4L)),
        run(null, call(Op.MOD, TypeKind.BIGINT, A, lit(5L, TypeKind.BIGINT))));
  }

  @Test
  void filterKeepsOnlyTrueRowsConjunctByConjunct() {
    // a > 0 AND s LIKE 'a%': NULLs fail the filter
    Expr condition = call(Op.AND, TypeKind.BOOLEAN,
        call(Op.GT, TypeKind.BOOLEAN, A, lit(0, TypeKind.INT)),
        call(Op.LIKE, TypeKind.BOOLEAN, S, lit("a%", TypeKind.VARCHAR)));
    assertEquals(List.of(Row.of(10L, "abc"), Row.of(14L, "a%b_c")), run(condition, A, S));
  }

  @Test
  void threeValuedLogic() {
    // f AND (b > 1), f OR (b > 1), NOT f, (b > 1) IS NULL
    Expr gt = call(Op.GT, TypeKind.BOOLEAN, B, lit(1, TypeKind.INT));
    List<Row> rows = run(null,
        call(Op.AND, TypeKind.BOOLEAN, F, gt),
        call(Op.OR, TypeKind.BOOLEAN, F, gt),
        call(Op.NOT, TypeKind.BOOLEAN, F),
        call(Op.IS_NULL, TypeKind.BOOLEAN, gt));
    assertEquals(List.of(
        Row.of(true, true, false, false),
        Row.of(false, false, true, false),
        Row.of(null, true, null, false),
        Row.of(null, true, false, true),
        Row.of(false, true, true, false)), rows);
  }

  @Test
  void caseAndCast() {
    Expr kase = call(Op.CASE, TypeKind.VARCHAR,
        call(Op.GT, TypeKind.BOOLEAN, A, lit(12L, TypeKind.BIGINT)), lit("big", TypeKind.VARCHAR),
        call(Op.IS_NULL, TypeKind.BOOLEAN, A), lit("none", TypeKind.VARCHAR),
        lit("small", TypeKind.VARCHAR));
    List<Row> rows = run(null, kase, call(Op.CAST, TypeKind.VARCHAR, D), call(Op.CAST, TypeKind.BIGINT, D),
        call(Op.CAST, TypeKind.INT, S));
    assertEquals(List.of(
        Row.of("small", "1.5", 1L, null),
        Row.of("small", "-2.0", -2L, null),
        Row.of("none", null, null, null),
        Row.of("big", "0.0", 0L, null),
        Row.of("big", "8.25", 8L, null)), rows);
  }

  @Test
  void stringFunctionsCountCharactersNotBytes() {
    List<Row> rows = run(null,
        call(Op.UPPER, TypeKind.VARCHAR, S),
        call(Op.CHAR_LENGTH, TypeKind.INT, S),
        call(Op.SUBSTRING, TypeKind.VARCHAR, S, lit(2, TypeKind.INT), lit(3, TypeKind.INT)),
        call(Op.TRIM_BOTH, TypeKind.VARCHAR, lit(" ", TypeKind.VARCHAR), S),
        call(Op.CONCAT, TypeKind.VARCHAR, S, lit("!", TypeKind.VARCHAR)));
    assertEquals(List.of(
        Row.of("ABC", 3, "bc", "abc", "abc!"),
        Row.of("STRASSE", 6, "tra", "Straße", "Straße!"),
        Row.of(null, null, null, null, null),
        Row.of("  PAD  ", 7, " pa", "pad", "  pad  !"),
        Row.of("A%B_C", 5, "%b_", "a%b_c", "a%b_c!")), rows);
  }

  @Test
  void likeWithWildcardsAndEscape() {
    List<Row> rows = run(null,
        call(Op.LIKE, TypeKind.BOOLEAN, S, lit("%b%", TypeKind.VARCHAR)),
        call(Op.LIKE, TypeKind.BOOLEAN, S, lit("a_c", TypeKind.VARCHAR)),
        call(Op.LIKE, TypeKind.BOOLEAN, S, lit("a!%b%", TypeKind.VARCHAR), lit("!", TypeKind.VARCHAR)),
        call(Op.LIKE, TypeKind.BOOLEAN, S, lit("%e", TypeKind.VARCHAR)));
    assertEquals(List.of(
        Row.of(true, true, false, false),
        Row.of(false, false, false, true),
        Row.of(null, null, null, null),
        Row.of(false, false, false, false),
        Row.of(true, false, true, false)), rows);
  }

  @Test
  void splitIndexAndRegexpExtractAreNullWithoutAPiece() {
    List<Row> rows = run(null,
        call(Op.SPLIT_INDEX, TypeKind.VARCHAR, S, lit("_", TypeKind.VARCHAR), lit(1, TypeKind.INT)),
        call(Op.SPLIT_INDEX, TypeKind.VARCHAR, S, lit("a", TypeKind.VARCHAR), B),
        call(Op.REGEXP_EXTRACT, TypeKind.VARCHAR, S, lit("([a-zß]+)e$", TypeKind.VARCHAR), lit(1, TypeKind.INT)),
        call(Op.REGEXP_EXTRACT, TypeKind.VARCHAR, S, lit("\\p{Punct}", TypeKind.VARCHAR)));
    assertEquals(List.of(
        Row.of(null, null, null, null),
        Row.of(null, "Str", "traß", null),
        Row.of(null, null, null, null),
        Row.of(null, null, null, null),
        Row.of("c", null, null, "%")), rows);
  }

  @Test
  void dateFormatOfFilteredRowsBeforeAndAfterTheEpoch() {
    Expr condition = call(Op.NE, TypeKind.BOOLEAN, A, lit(21L, TypeKind.BIGINT));
    assertEquals(List.of(Row.of("1970-01-01 00:00:00.010"), Row.of("1969-12-31 23:59:59.993"),
            Row.of("1970-01-01 00:00:00.014")),
        run(condition, call(Op.DATE_FORMAT, TypeKind.VARCHAR, A, lit("yyyy-MM-dd HH:mm:ss.SSS", TypeKind.VARCHAR))));
  }

  @Test
  void regexAndDateFormatMustBeValidLiterals() {
    for (Expr e : List.of(call(Op.REGEXP_EXTRACT, TypeKind.VARCHAR, S, S),
        call(Op.REGEXP_EXTRACT, TypeKind.VARCHAR, S, lit("[a", TypeKind.VARCHAR)),
        call(Op.DATE_FORMAT, TypeKind.VARCHAR, A, S),
        call(Op.DATE_FORMAT, TypeKind.VARCHAR, A, lit("yyyy-MM-dd {", TypeKind.VARCHAR)))) {
      var error = org.junit.jupiter.api.Assertions.assertThrows(io.freshet.streaming.FreshetException.class,
          () -> run(null, e));
      org.junit.jupiter.api.Assertions.assertTrue(error.getMessage().contains("literal")
          || error.getMessage().contains("is not a valid"), error.getMessage());
    }
  }

  @Test
  void projectionAfterFilterGathersStringsAndConstants() {
    Expr condition = call(Op.IS_NOT_NULL, TypeKind.BOOLEAN, S);
    assertEquals(List.of(Row.of("abc", 1L), Row.of("Straße", 1L), Row.of("  pad  ", 1L), Row.of("a%b_c", 1L)),
        run(condition, S, lit(1L, TypeKind.BIGINT)));
    assertEquals(List.of(), run(lit(false, TypeKind.BOOLEAN), S));
  }
}
