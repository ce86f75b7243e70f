package io.freshet.sql.join;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.FreshetSession;
import io.freshet.sql.StatementResult;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user sees of a temporal join as it runs: an order waits for the watermark to pass its time and then gets
 * the rate in force then; versions a newer one replaced before the watermark go from the state, which a restart
 * keeps; late orders are dropped and counted; and the DDL of a versioned table says what is wrong with it.
 */
class TemporalJoinTest {
  private static final String QUERY = "SELECT o.id, r.rate FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r "
      + "ON o.currency = r.currency";

  private FreshetSession session;

  void open(String store, int partitions) {
    session = FreshetSession.builder().master("local[" + partitions + "]").create();
    session.conf().set("state-store", store);
    session.sql("CREATE STREAM rates (currency VARCHAR, rate DOUBLE, ts TIMESTAMP(3), PRIMARY KEY (currency) NOT "
        + "ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
    session.sql("CREATE STREAM orders (id INT, currency VARCHAR, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @BeforeEach
  void defaults() {
    open("memory", 1);
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static LocalDateTime at(int seconds) {
    return LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(seconds);
  }

  private static StreamTest.Action stateRows(long rows) {
    return assertOnQuery(rows + " rows in the join's state", q -> state(q).numRowsTotal() == rows);
  }

  private static StateOperatorProgress state(StreamingQuery q) {
    return q.lastProgress().stateOperators().get(0);
  }

  @ParameterizedTest(name = "{0}, P = {1}")
  @ValueSource(strings = {"memory 1", "rocksdb 1", "memory 2", "rocksdb 2"})
  void ordersWaitForTheWatermarkAndReplacedVersionsLeaveTheState(String setting) {
    String[] parts = setting.split(" ");
    session.close();
    open(parts[0], Integer.parseInt(parts[1]));
    StreamTest.of(session, QUERY).run(
        addData("rates", Row.of("EUR", 1.5, at(0)), Row.of("EUR", 2.0, at(3)), Row.of("USD", 1.0, at(1))),
        addData("orders", Row.of(1, "EUR", at(2)), Row.of(2, "USD", at(4))),
        // The watermark is below the orders' times: a rate of their time could still come.
        checkNewAnswer(),
        stateRows(5),
        // Both streams move the watermark to 15 s: the orders are joined with the rates in force at 2 s and 4 s.
        // EUR at 0 s goes (EUR at 3 s replaced it before the watermark); USD at 1 s stays, the last USD rate.
        addData("rates", Row.of("EUR", 2.5, at(20))),
        addData("orders", Row.of(3, "EUR", at(21))),
        checkNewAnswer(Row.of(1, 1.5), Row.of(2, 1.0)),
        stateRows(4),
        stopStream(),
        startStream(),
        // An order older than the watermark (15 s) is late: dropped and counted.
        addData("orders", Row.of(4, "EUR", at(10))),
        checkNewAnswer(),
        assertOnQuery("1 row dropped as late", q -> state(q).numRowsDroppedByWatermark() == 1),
        // After the restart the order at 21 s still waits, and gets EUR at 20 s once the watermark is 35 s.
        addData("rates", Row.of("EUR", 3.0, at(40))),
        addData("orders", Row.of(5, "EUR", at(41))),
        checkNewAnswer(Row.of(3, 2.5)),
        stateRows(4),
        checkAnswer(Row.of(1, 1.5), Row.of(2, 1.0), Row.of(3, 2.5)));
  }

  @Test
  void explainShowsTheKeyTheTimeAndHowEachInputIsDistributed() {
    String plan = ((StatementResult.Text) session.execute("EXPLAIN " + QUERY, 1, 1)).text();
    assertTrue(plan.contains("TemporalJoin(inner, keys=[$1 = $3], as of=$2, versions by=$5)"), plan);
    assertTrue(plan.contains("by hash[1]/[0]"), plan);
  }

  @Test
  void describeShowsThePrimaryKey() {
    List<Row> rows = session.sql("DESCRIBE rates").collectAsList();
    assertEquals(Row.of("currency", "VARCHAR", "YES", "PRIMARY KEY", ""), rows.get(0));
    assertEquals(Row.of("rate", "DOUBLE", "YES", "", ""), rows.get(1));
  }

  @Test
  void aBadPrimaryKeySaysWhereAndWhy() {
    assertEquals("SQL error at line 1, column 59: the primary key names column 'cur', which is not declared; "
        + "declared columns are [currency, rate]", fails("CREATE STREAM r (currency VARCHAR, rate INT, PRIMARY KEY "
        + "(cur) NOT ENFORCED) WITH ('connector' = 'memory')"));
    assertTrue(fails("CREATE STREAM r (currency VARCHAR PRIMARY KEY NOT CHECKED, rate INT) WITH ('connector' = "
        + "'memory')").contains("expected NOT ENFORCED after the primary key"));
    assertTrue(fails("CREATE STREAM r (currency VARCHAR PRIMARY KEY, rate INT, PRIMARY KEY (rate)) WITH ("
        + "'connector' = 'memory')").contains("a stream has one PRIMARY KEY"));
    // A versioned table needs event time too.
    session.sql("CREATE STREAM plain (currency VARCHAR PRIMARY KEY, rate DOUBLE, ts TIMESTAMP(3)) WITH ("
        + "'connector' = 'memory')");
    assertTrue(fails("SELECT * FROM orders o JOIN plain FOR SYSTEM_TIME AS OF o.ts AS p ON o.currency = "
        + "p.currency").contains("plain has no event time; declare a WATERMARK"));
  }

  private String fails(String sql) {
    return assertThrows(FreshetException.class, () -> session.sql(sql).collectAsList()).getMessage();
  }
}
