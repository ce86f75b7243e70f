package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input names the thing that is wrong and where it is, and lists the valid choices. */
class ErrorMessageTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM bid WITH ('connector' = 'nexmark', 'events' = '100')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static void fails(Executable action, String... parts) {
    FreshetException e = assertThrows(FreshetException.class, action);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
    }
  }

  @Test
  void unknownConnectorListsTheAvailableOnes() {
    fails(() -> session.sql("CREATE STREAM s WITH ('connector' = 'kafak')"), "kafak", "nexmark", "rate",
        "line 1, column 1");
  }

  @Test
  void unknownOptionListsTheValidOnes() {
    fails(() -> session.sql("CREATE STREAM s WITH ('connector' = 'nexmark', 'evnets' = '10')"), "'evnets'",
        "events", "events-per-second", "seed", "table");
  }

  @Test
  void badOptionValueNamesTheOption() {
    fails(() -> session.sql("CREATE STREAM s WITH ('connector' = 'nexmark', 'table' = 'bids')"), "'table'",
        "bid, auction, person", "'bids'");
  }

  @Test
  void misspeltColumnGivesLineAndColumn() {
    fails(() -> session.sql("SELECT auction,\n  pricee FROM bid"), "pricee", "line 2, column 3");
  }

  @Test
  void typeErrorGivesLineAndColumn() {
    fails(() -> session.sql("SELECT auction FROM bid WHERE auction AND price > 1"), "line 1, column 31", "AND",
        "BIGINT");
  }

  @Test
  void unknownTypeInDdlGivesLineAndColumn() {
    fails(() -> session.sql("CREATE STREAM s (a BIGINT,\n b BIGNT) WITH ('connector' = 'memory')"), "BIGNT",
        "line 2, column 4", "BIGINT");
  }

  @Test
  void watermarkOnAnUndeclaredColumn() {
    fails(() -> session.sql("CREATE STREAM s (a BIGINT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
        + " WITH ('connector' = 'memory')"), "'ts'", "not declared");
  }

  @Test
  void declaredColumnsMustMatchTheConnector() {
    fails(() -> session.sql("CREATE STREAM s (a BIGINT, b VARCHAR) WITH ('connector' = 'rate')"),
        "declares column 1 as 'a BIGINT'", "timestamp TIMESTAMP(3)");
    fails(() -> session.sql("CREATE STREAM s (a TIMESTAMP(3)) WITH ('connector' = 'rate')"), "declares 1 columns",
        "has 2");
  }

  @Test
  void unsupportedQueriesSaySo() {
    // An ORDER BY is refused when the output mode is known (complete mode sorts anything), so at the start.
    fails(() -> session.sql("SELECT auction, price FROM bid ORDER BY price").writeStream().format("memory")
        .queryName("sorted").start(), "ORDER BY", "complete output mode");
    fails(() -> session.sql("SELECT auction, STDDEV_POP(price) FROM bid GROUP BY auction"), "STDDEV_POP",
        "not supported", "COUNT, SUM");
    fails(() -> session.sql("SELECT * FROM bid b1 JOIN bid b2 ON b1.price < b2.price"), "no equality of keys",
        "state.ttl");
  }

  @Test
  void queriesWeDoNotRunYetSayWhatToWriteInstead() {
    fails(() -> session.sql("SELECT auction, SUM(price) OVER (PARTITION BY auction ORDER BY dateTime ROWS BETWEEN "
        + "CURRENT ROW AND 2 FOLLOWING) FROM bid"), "frame must end at the current row",
        "ROWS BETWEEN 10 PRECEDING AND CURRENT ROW");
    fails(() -> session.sql("SELECT auction, LAG(price) OVER (PARTITION BY auction ORDER BY dateTime) FROM bid"),
        "LAG(...) OVER (...) is not supported", "COUNT, SUM, MIN, MAX and AVG");
    fails(() -> session.sql("SELECT auction, SUM(price) OVER (PARTITION BY auction ORDER BY dateTime), COUNT(*) OVER "
        + "(ORDER BY dateTime) FROM bid"), "the same window", "WINDOW w AS");
    fails(() -> session.sql("SELECT auction, bidder IN (SELECT bidder FROM bid) FROM bid"), "A subquery in a column",
        "IN (1, 2, 3)");
    session.sql("CREATE STREAM ticks WITH ('connector' = 'rate', 'rowsPerSecond' = '5')");
    fails(() -> session.sql("SELECT auction FROM bid WHERE auction IN (SELECT `value` FROM ticks)"),
        "over the stream ticks are not supported", "'bounded' = 'true'", "FROM s JOIN t ON s.k = t.k");
    fails(() -> session.sql("SELECT auction FROM bid WHERE price > ALL (SELECT price FROM bid)"), "ANY, SOME or ALL",
        "EXISTS (SELECT 1 FROM t WHERE t.c < x)");
    fails(() -> session.sql("SELECT COUNT(*) FROM bid GROUP BY TUMBLE(dateTime, INTERVAL '10' SECOND)"),
        "GROUP BY TUMBLE(...) at line 1, column 35 is the legacy group-window syntax",
        "FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
    session.sql("CREATE TABLE `order` (a BIGINT) WITH ('connector' = 'blackhole')");
    fails(() -> session.sql("INSERT INTO order SELECT auction FROM bid"), "Encountered \"order\" at line 1, column 13",
        "expected a name", "'order' is a reserved word in SQL; to use it as a name, quote it with back-ticks: `order`");
    fails(() -> session.sql("CREATE TABLE s WITH ('connector' = 'memry')"), "Unknown sink connector 'memry' (did you "
        + "mean memory?); sinks are: blackhole, console, file, kafka, memory");
  }

  @Test
  void longInListsAndDeepStatementsRunOrSaySo() {
    StringBuilder in = new StringBuilder("1000");
    for (int i = 1; i < 40; i++) {
      in.append(", ").append(1000 + i);
    }
    long inList = (Long) session.sql("SELECT COUNT(*) FROM bid WHERE auction IN (" + in + ")").collectAsList().get(0)
        .get(0);
    long range = (Long) session.sql("SELECT COUNT(*) FROM bid WHERE auction >= 1000 AND auction < 1040")
        .collectAsList().get(0).get(0);
    assertEquals(range, inList);
    String deep = "(".repeat(3000) + "auction" + ")".repeat(3000) + " + 1" .repeat(5000);
    assertEquals(List.of(Row.of(5000L + 1000)), session.sql("SELECT MIN(" + deep + ") FROM bid").collectAsList());
    fails(() -> session.sql("SELECT auction" + " + 1".repeat(10_500) + " FROM bid"), "nested too deeply",
        "over 10 000");
  }

  @Test
  void unknownSettingListsTheKnownOnes() {
    fails(() -> session.sql("SET 'checkpoint-locaton' = '/tmp/x'"), "checkpoint-locaton", "checkpoint-location");
  }

  @Test
  void collectingAnUnboundedStreamPointsToWriteStream() {
    session.sql("CREATE STREAM endless WITH ('connector' = 'rate')");
    fails(() -> session.sql("SELECT `value` FROM endless").collectAsList(), "unbounded", "writeStream");
  }
}
