package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.expr.codegen.CalcCode;
import io.freshet.exec.expr.codegen.CodeCache;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.Row;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A query whose filter and projections the code generator supports runs through generated code, and gives the
 * same rows as the kernels (code generation turned off).
 */
class GeneratedCalcTest {
  /** The filter's constant 7919 marks this test's generated source among the cached ones. */
  private static final String QUERY = "SELECT id, price * 3 + id, ratio / (price - 100), price > 50 OR ok,"
      + " CASE WHEN ratio IS NULL THEN -1 ELSE CAST(ratio AS INT) END"
      + " FROM t WHERE (MOD(price, 7919) <> 5 OR price IS NULL) AND (ok IS NOT FALSE OR ratio > 1.5)";
  private static final Row[] EXPECTED = {
      Row.of(1, 301L, null, true, 0),
      Row.of(2, -88L, -0.015384615384615385, false, 2),
      Row.of(3, null, null, null, -1)};
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM t (id INT, price BIGINT, ratio DOUBLE, ok BOOLEAN) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
    System.clearProperty(CalcCode.ENABLED_PROPERTY);
  }

  private void run() {
    StreamTest.of(session, QUERY).run(
        addData("t",
            Row.of(1, 100L, 0.5, true),
            Row.of(2, -30L, 2.0, false),
            Row.of(3, null, null, null),
            // MOD(7924, 7919) = 5: filtered out.
            Row.of(4, 7924L, 0.0, true)),
        checkAnswer(EXPECTED));
  }

  @Test
  void aSupportedQueryRunsThroughGeneratedCode() {
    run();
    List<CodeCache.Compiled> generated = CodeCache.entries().stream()
        .filter(c -> c.source().contains("MOD($1, 7919:BIGINT)")).toList();
    assertEquals(1, generated.size(), "one generated class for the query's Calc");
    assertTrue(generated.get(0).runs() > 0, "the generated code ran");
    assertTrue(generated.get(0).source().contains("CASE("), generated.get(0).source());
  }

  /** A condition too big to generate (an IN list of 1000 values, 1000 comparisons) runs on the kernels. */
  @Test
  void aHugeInListRunsOnTheKernels() {
    StringBuilder values = new StringBuilder();
    for (int k = 0; k < 1000; k++) {
      values.append(k == 0 ? "" : ", ").append(3 * k);
    }
    StreamTest.of(session, "SELECT id, price IN (" + values + ") FROM t WHERE price IN (" + values + ") OR ok")
        .run(addData("t", Row.of(1, 2997L, 0.5, false), Row.of(2, 2998L, 0.5, false), Row.of(3, 3000L, 0.5, true)),
            checkAnswer(Row.of(1, true), Row.of(3, false)));
  }

  @Test
  void theKernelsGiveTheSameAnswer() {
    System.setProperty(CalcCode.ENABLED_PROPERTY, "false");
    run();
  }
}
