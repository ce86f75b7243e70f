package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.at;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.expectFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * User-defined scalar functions (CREATE FUNCTION ... AS 'class'): overloads chosen by the arguments' types, NULL
 * into boxed and primitive parameters, a thrown exception's message, classes that are refused, DROP FUNCTION, and a
 * query that calls one restarted from its checkpoint after every batch.
 */
class UserFunctionTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'memory')");
    session.sql("CREATE TEMPORARY FUNCTION IF NOT EXISTS label AS 'io.freshet.sql.udf.Label' LANGUAGE JAVA");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static Row in(String k, Long v, int second) {
    return Row.of(k, v, at(second));
  }

  @Test
  void eachCallTakesTheEvalItsArgumentsFitAndNullReachesBoxedParameters() {
    // label(v, 1): an INTEGER widens to the long parameter; a primitive given NULL gives NULL without a call.
    String query = "SELECT k, label(k) AS a, label(v, 1) AS b, label(CAST(v AS DOUBLE)) AS c FROM s";
    StreamTest.of(session, query).outputMode(OutputMode.APPEND).restartAfterEveryAction().run(
        addData("s", in("x", 2L, 1)),
        checkAnswer(Row.of("x", "#X", 3L, 4.0)),
        addData("s", in(null, null, 2), in("y", 5L, 3)),
        checkAnswer(Row.of("x", "#X", 3L, 4.0), Row.of(null, "no text", null, -1.0), Row.of("y", "#Y", 6L, 10.0)));
  }

  @Test
  void aFunctionFiltersAndIsNamedInAnyCase() {
    StreamTest.of(session, "SELECT k FROM s WHERE LABEL(v, v) > 5").outputMode(OutputMode.APPEND).run(
        addData("s", in("a", 2L, 1)),
        addData("s", in("b", 3L, 2)),
        addData("s", in("c", 4L, 3)),
        checkAnswer(Row.of("b"), Row.of("c")));
  }

  @Test
  void anExceptionInTheFunctionFailsTheQueryNamingFunctionClassAndValues() {
    session.sql("CREATE FUNCTION fails AS 'io.freshet.sql.udf.Fails'");
    StreamTest.of(session, "SELECT fails(k) AS f FROM s").outputMode(OutputMode.APPEND).run(
        addData("s", in("fine", 1L, 1)),
        checkAnswer(Row.of("fine")),
        addData("s", in("boom", 2L, 2)),
        expectFailure("Function fails (class io.freshet.sql.udf.Fails, Fails.eval(String)) failed on ('boom'): "
            + "java.lang.IllegalStateException: cannot take boom"));
  }

  @Test
  void argumentsNoEvalTakesAreRefusedSayingWhatItTakes() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SELECT label(ts) FROM s"));
    assertTrue(e.getMessage().contains("function label takes (DOUBLE) or (VARCHAR) or (BIGINT, BIGINT), not "
        + "(TIMESTAMP)"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1, column 8"), e.getMessage());
  }

  @Test
  void classesThatAreNoFunctionsAreRefusedWhenDeclared() {
    assertMessage("CREATE FUNCTION f AS 'io.freshet.sql.udf.Missing'", "Function f: no class "
        + "'io.freshet.sql.udf.Missing' in the classpath", "USING JAR '/path/to/x.jar'", "FRESHET_CLASSPATH");
    assertMessage("CREATE FUNCTION f AS 'io.freshet.sql.udf.NoEval'", "has no public method named eval");
    assertMessage("CREATE FUNCTION f AS 'io.freshet.sql.udf.TakesList'", "TakesList.eval(List) takes a "
        + "java.util.List, which SQL cannot pass; use long/Long");
    assertMessage("CREATE FUNCTION f AS 'io.freshet.sql.udf.Fails' USING JAR '/no/such.jar'",
        "no jar file /no/such.jar");
    assertMessage("CREATE FUNCTION f 'io.freshet.sql.udf.Fails'", "expected AS and the class in quotes, e.g. "
        + "CREATE FUNCTION f AS 'com.example.MyFunction'");
    assertMessage("CREATE FUNCTION f AS 'io.freshet.sql.udf.Fails' USING '/x.jar'", "expected USING JAR "
        + "'/path/to/functions.jar'");
    assertMessage("CREATE FUNCTION f AS 'io.freshet.sql.udf.Fails' LANGUAGE PYTHON", "LANGUAGE JAVA, not PYTHON");
    assertMessage("CREATE FUNCTION split_index AS 'io.freshet.sql.udf.Fails'", "'split_index' is a built-in");
    assertMessage("CREATE FUNCTION label AS 'io.freshet.sql.udf.Fails'", "A function named 'label' already "
        + "exists");
  }

  @Test
  void showFunctionsListsItAndDropFunctionRemovesIt() {
    List<Row> rows = ((StatementResult.Table) session.execute("SHOW FUNCTIONS", 1, 1)).rows();
    assertTrue(rows.contains(Row.of("label", "user-defined scalar", "label(DOUBLE) -> DOUBLE; "
        + "label(VARCHAR) -> VARCHAR; label(BIGINT, BIGINT) -> BIGINT (class io.freshet.sql.udf.Label)")),
        rows.toString());
    assertEquals("Dropped function label", ((StatementResult.Message) session.execute(
        "DROP TEMPORARY FUNCTION label", 1, 1)).text());
    assertMessage("SELECT label(k) FROM s", "No function label");
    assertMessage("DROP FUNCTION label", "No user-defined function named 'label' to drop");
    session.sql("DROP FUNCTION IF EXISTS label");
    session.sql("CREATE OR REPLACE FUNCTION label AS 'io.freshet.sql.udf.Fails'");
  }

  private void assertMessage(String statement, String... parts) {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql(statement));
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }
}
