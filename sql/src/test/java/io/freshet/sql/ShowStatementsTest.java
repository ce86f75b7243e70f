package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.parser.Excerpt;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SHOW and DESCRIBE as a user reads them (no null cells; a running query's figures and plan), and errors that
 * name the place and the closest name, with the line and a caret under the place.
 */
class ShowStatementsTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").create();
    session.sql("CREATE STREAM rates (currency VARCHAR NOT NULL, rate DOUBLE, ts TIMESTAMP(3), PRIMARY KEY "
        + "(currency) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void describeShowsTheKeyAndTheWatermarkOnceWithoutNulls() {
    assertEquals(List.of(Row.of("currency", "VARCHAR", "NO", "PRIMARY KEY", ""), Row.of("rate", "DOUBLE", "YES", "",
        ""), Row.of("ts", "TIMESTAMP(3)", "YES", "", "ts - INTERVAL '5' SECOND")),
        session.sql("DESCRIBE rates").collectAsList());
  }

  @Test
  void functionsAndConnectorsAreListed() {
    List<Row> functions = session.sql("SHOW FUNCTIONS").collectAsList();
    assertTrue(functions.contains(Row.of("TUMBLE", "window table function",
        "TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), size))")), functions.toString());
    assertTrue(functions.stream().anyMatch(r -> r.get(0).equals("COUNT") && r.get(1).equals("aggregate")));
    for (String flink : List.of("SPLIT_INDEX", "REGEXP_EXTRACT", "DATE_FORMAT")) {
      assertTrue(functions.stream().anyMatch(r -> r.get(0).equals(flink) && r.get(1).equals("scalar")), flink);
    }
    List<Row> connectors = session.sql("SHOW CONNECTORS").collectAsList();
    assertTrue(connectors.contains(Row.of("kafka", "source and sink")), connectors.toString());
    assertTrue(connectors.contains(Row.of("nexmark", "source")), connectors.toString());
    assertTrue(connectors.contains(Row.of("console", "sink")), connectors.toString());
  }

  @Test
  void showQueriesAndShowQueryGiveARunningQuerysFiguresAndPlan() {
    session.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '100000000', "
        + "'max-events-per-batch' = '5000')");
    session.sql("CREATE TABLE sunk WITH ('connector' = 'blackhole')");
    session.sql("INSERT INTO sunk SELECT auction, COUNT(*) FROM bids GROUP BY auction");
    StreamingQuery q = session.streams().active().get(0);
    // A batch has run and the aggregation holds some keys (the input is far too big to wait for its end).
    long deadline = System.nanoTime() + 60_000_000_000L;
    while ((q.lastProgress() == null || q.lastProgress().stateOperators().isEmpty()) && System.nanoTime() < deadline) {
      q.awaitTermination(10);
    }
    List<Row> queries = session.sql("SHOW QUERIES").collectAsList();
    assertEquals(1, queries.size());
    Row row = queries.get(0);
    assertEquals("sunk", row.get(0));
    assertEquals(q.id().toString(), row.get(1));
    assertTrue((Long) row.get(3) > 0, row.toString());
    String shown = String.join("\n", session.sql("SHOW QUERY sunk").collectAsList().stream()
        .map(r -> (String) r.get(0)).toList());
    assertTrue(shown.startsWith("Query sunk [id = " + q.id() + "]: "), shown);
    // Lines are broken to fit 120 columns.
    assertTrue(shown.matches("(?s).*Aggregate[^\\n]*[1-9][0-9]* rows; state: [1-9][0-9]* rows,\\s+[0-9]+ bytes on "
        + "the heap.*"), shown);
    // The source's node shows the rows it read.
    assertTrue(shown.matches("(?s).*Scan\\(bids[^\\n]*\\[[1-9][0-9]* rows].*"), shown);
    assertTrue(shown.contains("\"batchId\""), shown);
    FreshetException unknown = assertThrows(FreshetException.class, () -> session.sql("SHOW QUERY nope"));
    assertTrue(unknown.getMessage().startsWith("No running query is named or has the id 'nope' (line 1, column 12);"
        + " running: sunk [id = "), unknown.getMessage());
    session.sql("STOP QUERY sunk");
  }

  @Test
  void validationErrorsNameThePlaceAndTheClosestName() {
    FreshetException table = assertThrows(FreshetException.class, () -> session.sql("SELECT * FROM ratez"));
    assertEquals("No stream, table or view named 'ratez' (line 1, column 15) (did you mean rates?); SHOW STREAMS, "
        + "SHOW TABLES and SHOW VIEWS list them", table.getMessage());
    assertEquals(new FreshetException.Position(1, 15, 1, 19), table.position());
    FreshetException column = assertThrows(FreshetException.class, () -> session.sql("SELECT r.rat FROM rates r"));
    assertTrue(column.getMessage().startsWith("No column named 'rat' in r (line 1, column 10) (did you mean "
        + "rate?)"), column.getMessage());
    FreshetException function = assertThrows(FreshetException.class, () -> session.sql("SELECT UPPR(currency) "
        + "FROM rates"));
    assertTrue(function.getMessage().startsWith("No function UPPR taking (CHARACTER) (line 1, column 8) (did you "
        + "mean UPPER?)"), function.getMessage());
    // A misspelt keyword: where one was expected, or read as a name (an alias) before the word it made unexpected.
    assertTrue(assertThrows(FreshetException.class, () -> session.sql("SELECT currency FROM rates GROUP BUY currency"))
        .getMessage().endsWith("expected BY (did you mean BY?)"));
    assertTrue(assertThrows(FreshetException.class, () -> session.sql("SELECT * FORM rates")).getMessage()
        .endsWith("; 'FORM' reads as a name here: did you mean FROM?"));
    FreshetException parse = assertThrows(FreshetException.class, () -> session.sql("SELECT * FROM rates WHERE"));
    assertEquals(1, parse.position().line());
    assertEquals(25, parse.position().column());
  }

  @Test
  void anExcerptShowsTheLineWithACaretUnderThePlace() {
    // The statement starts at line 3, column 5 of its script; the error is on its second line.
    String statement = "SELECT a,\n  pricee FROM bid";
    assertEquals("    pricee FROM bid\n    ^^^^^^",
        Excerpt.of(statement, 3, 5, new FreshetException.Position(4, 3, 4, 8)));
    assertEquals("  SELECT a,\n         ^", Excerpt.of(statement, 3, 5, new FreshetException.Position(3, 12, 3, 12)));
    assertEquals(null, Excerpt.of(statement, 3, 5, new FreshetException.Position(9, 1, 9, 1)));
  }
}
