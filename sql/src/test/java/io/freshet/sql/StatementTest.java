package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statements beside queries: STOP QUERY, HELP, sinks without columns, checkpoint directories, blackhole. */
class StatementTest {
  private static final String BIDS = "CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '1000', "
      + "'base-time' = '2026-01-01 00:00:00')";
  @TempDir
  Path dir;
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private String fails(String statement) {
    return assertThrows(FreshetException.class, () -> session.sql(statement), statement).getMessage();
  }

  @Test
  void stopQueryStopsARunningInsertByNameOrId() {
    session.sql("CREATE STREAM ticks WITH ('connector' = 'rate', 'rowsPerSecond' = '100')");
    session.sql("CREATE TABLE sunk WITH ('connector' = 'blackhole')");
    session.sql("CREATE TABLE kept WITH ('connector' = 'blackhole')");
    StreamingQuery sunk = session.streams().get(java.util.UUID.fromString(
        (String) session.sql("INSERT INTO sunk SELECT * FROM ticks").collectAsList().get(0).get(1)));
    session.sql("INSERT INTO kept SELECT * FROM ticks");
    assertTrue(fails("DROP TABLE sunk").contains("stop it first with STOP QUERY sunk"));
    List<Row> queries = session.sql("SHOW QUERIES").collectAsList();
    assertEquals(2, queries.size(), queries.toString());

    assertEquals(List.of(Row.of("Stopped query sunk [id = " + sunk.id() + "]")),
        session.sql("STOP QUERY sunk").collectAsList());
    assertFalse(sunk.isActive());
    session.sql("DROP TABLE sunk");
    StreamingQuery kept = session.streams().active().get(0);
    session.sql("STOP QUERY " + kept.id());
    assertFalse(kept.isActive());
    assertTrue(fails("STOP QUERY kept").contains("No running query is named or has the id 'kept' (line 1, column 12)"
        + "; no query is running"));
  }

  @Test
  void showQueriesSaysWhatASocketSourceIsDoing() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    session.sql("CREATE STREAM lines WITH ('connector' = 'socket', 'port' = '" + port + "')");
    session.sql("CREATE TABLE sunk WITH ('connector' = 'blackhole')");
    session.sql("INSERT INTO sunk SELECT * FROM lines");
    String expected = "SocketSource[localhost:" + port + "]: cannot reach localhost:" + port
        + " (Connection refused); retrying in ";
    long deadline = System.nanoTime() + 30_000_000_000L;
    String status = "";
    while (!status.contains(expected) && System.nanoTime() < deadline) {
      List<Row> queries = session.sql("SHOW QUERIES").collectAsList();
      status = queries.isEmpty() ? "" : (String) queries.get(0).get(2);
      Thread.sleep(20);
    }
    assertTrue(status.startsWith("Waiting for data to arrive; " + expected), status);
    session.sql("STOP QUERY sunk");
  }

  @Test
  void helpListsTheStatementsAndShowsOne() {
    String all = String.join("\n", session.sql("HELP").collectAsList().stream().map(r -> (String) r.get(0)).toList());
    for (String statement : List.of("SELECT", "INSERT INTO", "CREATE STREAM", "CREATE TABLE", "STOP QUERY", "SHOW")) {
      assertTrue(all.contains("  " + statement + " "), all);
    }
    String one = String.join("\n", session.sql("HELP stop query").collectAsList().stream()
        .map(r -> (String) r.get(0)).toList());
    assertTrue(one.startsWith("STOP QUERY name-or-id"), one);
    assertTrue(fails("HELP SELCT").contains("(did you mean SELECT?)"));
  }

  @Test
  void anUnknownStatementSaysSoAndSuggestsTheClosest() {
    String message = fails("SELEC auction FROM bids");
    assertTrue(message.startsWith("SQL error at line 1, column 1: unknown statement 'SELEC' (did you mean SELECT?); "
        + "statements start with SELECT, WITH, INSERT"), message);
    assertTrue(fails("FROBNICATE x").contains("unknown statement 'FROBNICATE'; statements start with"));
  }

  @Test
  void aSinkTableWithoutColumnsTakesThoseOfItsQuery() {
    session.sql(BIDS);
    session.sql("CREATE TABLE expensive WITH ('connector' = 'memory')");
    assertTrue(session.sql("DESCRIBE expensive").collectAsList().get(0).get(0).toString().contains("no columns yet"));
    StreamingQuery q = session.streams().get(java.util.UUID.fromString((String) session.sql(
        "INSERT INTO expensive SELECT auction, price AS top FROM bids WHERE price > 5000000").collectAsList().get(0)
        .get(1)));
    q.awaitTermination();
    List<Row> columns = session.sql("DESCRIBE expensive").collectAsList();
    assertEquals(List.of("auction", "top"), columns.stream().map(r -> r.get(0)).toList());
    List<Row> rows = session.sql("SELECT top FROM expensive").collectAsList();
    assertFalse(rows.isEmpty());
    assertTrue(rows.stream().allMatch(r -> (Long) r.get(0) > 5_000_000), rows.toString());
  }

  @Test
  void builtInStreamsLiveInTheirOwnSchemaAndUserNamesWin() {
    session.sql("CREATE STREAM nexmark.bid WITH ('connector' = 'nexmark', 'events' = '1000', "
        + "'base-time' = '2026-01-01 00:00:00')");
    // Found by its plain name while the user has no bid of their own.
    assertEquals(920L, session.sql("SELECT COUNT(*) FROM bid").collectAsList().get(0).get(0));
    session.sql("CREATE STREAM bid (a BIGINT, b BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
        + " WITH ('connector' = 'memory')");
    assertEquals(List.of("a", "b", "ts"), session.sql("DESCRIBE bid").collectAsList().stream().map(r -> r.get(0))
        .toList());
    assertEquals(920L, session.sql("SELECT COUNT(*) FROM nexmark.bid").collectAsList().get(0).get(0));
    assertEquals(List.of(Row.of("bid", "memory", "unbounded"), Row.of("nexmark.bid", "nexmark", "bounded")),
        session.sql("SHOW STREAMS").collectAsList());
    session.sql("DROP STREAM bid");
    assertTrue(fails("DROP STREAM bid").contains("queries that name it read nexmark.bid: use its full name"));
    session.sql("DROP STREAM nexmark.bid");
    assertTrue(fails("SELECT * FROM bid").contains("No stream, table or view named 'bid'"));
  }

  @Test
  void checkpointDirectoriesFromNamesStayInsideTheRoot() throws Exception {
    session.sql(BIDS);
    Path root = dir.resolve("checkpoints");
    session.sql("SET 'checkpoint-location' = '" + root + "'");
    assertTrue(fails("CREATE TABLE `../../escaped` WITH ('connector' = 'blackhole')").contains(
        "a name may not contain '.' ('../../escaped')"));
    for (String name : List.of("`/tmp/absolute`", "`with space`", "plain_name")) {
      session.sql("CREATE TABLE " + name + " WITH ('connector' = 'blackhole')");
      String id = (String) session.sql("INSERT INTO " + name + " SELECT auction FROM bids").collectAsList().get(0)
          .get(1);
      StreamingQuery q = session.streams().get(java.util.UUID.fromString(id));
      if (q != null) {
        q.awaitTermination();
      }
    }
    try (Stream<Path> inside = Files.list(root)) {
      assertEquals(List.of("%2Ftmp%2Fabsolute", "plain_name", "with%20space"),
          inside.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertFalse(Files.exists(Path.of("/tmp/absolute")));
    assertTrue(fails("SET 'checkpoint-location' = ''").contains("needs a directory, not an empty value"));
  }
}
