package io.freshet.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process driver, used through java.sql only, as an application uses it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdbcDriverTest {
  private Connection connection;
  private final ExecutorService reader = Executors.newCachedThreadPool();

  @BeforeEach
  void connect() throws SQLException {
    connection = DriverManager.getConnection("jdbc:freshet:parallelism=1");
  }

  @AfterEach
  void close() throws SQLException {
    reader.shutdownNow();
    connection.close();
  }

  /** The names of the queries SHOW QUERIES lists. */
  private List<String> runningQueries() throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW QUERIES")) {
      while (rs.next()) {
        ids.add(rs.getString("id"));
      }
    }
    return ids;
  }

  /** Waits, a bounded time, until no query runs. */
  private void awaitNoQueries() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!runningQueries().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "queries still running: " + runningQueries());
      Thread.onSpinWait();
    }
  }

  @Test
  void ddlGivesAnUpdateCountAndShowGivesRows() throws SQLException {
    try (Statement s = connection.createStatement()) {
      assertFalse(s.execute("CREATE STREAM bids WITH ('connector' = 'nexmark', 'table' = 'bid', "
          + "'events' = '100')"));
      assertEquals(0, s.getUpdateCount());
      assertTrue(s.execute("SHOW STREAMS"));
      List<String> names = new ArrayList<>();
      try (ResultSet rs = s.getResultSet()) {
        assertEquals("stream", rs.getMetaData().getColumnLabel(1));
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      assertTrue(names.contains("bids") && names.contains("nexmark.bid"), names.toString());
      assertEquals(0, s.executeUpdate("SET 'output-mode' = 'append'"));
    }
  }

  @Test
  void boundedSelectGivesEveryRowWithSqlTypes() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE STREAM few WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '200')");
      try (ResultSet rs = s.executeQuery("SELECT auction, price, dateTime, channel, price > 100 AS big, "
          + "CAST(price AS DOUBLE) / 2 AS half FROM few")) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals(6, md.getColumnCount());
        assertEquals(Types.BIGINT, md.getColumnType(1));
        assertEquals("BIGINT", md.getColumnTypeName(2));
        assertEquals(Types.TIMESTAMP, md.getColumnType(3));
        assertEquals(Types.VARCHAR, md.getColumnType(4));
        assertEquals(Types.BOOLEAN, md.getColumnType(5));
        assertEquals(Types.DOUBLE, md.getColumnType(6));
        int rows = 0;
        while (rs.next()) {
          rows++;
          assertTrue(rs.getLong("auction") > 0);
          Timestamp t = rs.getTimestamp("dateTime");
          assertNotNull(t);
          assertEquals(rs.getLong("price") > 100, rs.getBoolean("big"));
          assertEquals(rs.getLong("price") / 2.0, rs.getDouble("half"), 1e-9);
        }
        // Nexmark makes 46 bids of every 50 events.
        assertEquals(184, rows);
      }
    }
  }

  @Test
  void boundedAggregateGivesTheFinalAnswer() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE STREAM few WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '200')");
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) AS n, MAX(price) AS top FROM few")) {
        assertTrue(rs.next());
        assertEquals(184, rs.getLong("n"));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void streamingSelectWaitsForEachRow() throws Exception {
    try (LineServer lines = new LineServer(); Statement s = connection.createStatement()) {
      s.execute("CREATE STREAM lines WITH ('connector' = 'socket', 'host' = '127.0.0.1', 'port' = '"
          + lines.port() + "')");
      ResultSet rs = s.executeQuery("SELECT UPPER(`value`) AS v FROM lines");
      assertEquals("v", rs.getMetaData().getColumnLabel(1));
      CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> next(rs), reader);
      lines.awaitClient(30, TimeUnit.SECONDS);
      // Connected and reading, but no line yet: next() is still waiting.
      assertFalse(first.isDone());
      lines.send("hello");
      assertTrue(first.get(30, TimeUnit.SECONDS));
      assertEquals("HELLO", rs.getString(1));
      lines.send("again");
      assertTrue(rs.next());
      assertEquals("AGAIN", rs.getString("v"));
      assertEquals(1, runningQueries().size());
      rs.close();
      awaitNoQueries();
    }
  }

  private static boolean next(ResultSet rs) {
    try {
      return rs.next();
    } catch (SQLException e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void cancelStopsAWaitingQuery() throws Exception {
    try (LineServer lines = new LineServer(); Statement s = connection.createStatement()) {
      s.execute("CREATE STREAM lines WITH ('connector' = 'socket', 'host' = '127.0.0.1', 'port' = '"
          + lines.port() + "')");
      ResultSet rs = s.executeQuery("SELECT `value` FROM lines");
      CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return rs.next();
        } catch (SQLException e) {
          return e;
        }
      }, reader);
      lines.awaitClient(30, TimeUnit.SECONDS);
      assertFalse(waiting.isDone());
      s.cancel();
      Object ended = waiting.get(30, TimeUnit.SECONDS);
      assertTrue(Boolean.FALSE.equals(ended) || ended instanceof SQLException, String.valueOf(ended));
      awaitNoQueries();
    }
  }

  @Test
  void maxRowsEndsAnEndlessQuery() throws Exception {
    try (Statement s = connection.createStatement()) {
      s.setMaxRows(3);
      try (ResultSet rs = s.executeQuery("SELECT auction, price FROM nexmark.bid")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
        }
        assertEquals(3, rows);
      }
      awaitNoQueries();
    }
  }

  @Test
  void queryTimeoutStopsTheQuery() throws Exception {
    try (LineServer lines = new LineServer(); Statement s = connection.createStatement()) {
      s.execute("CREATE STREAM lines WITH ('connector' = 'socket', 'host' = '127.0.0.1', 'port' = '"
          + lines.port() + "')");
      s.setQueryTimeout(1);
      ResultSet rs = s.executeQuery("SELECT `value` FROM lines");
      SQLTimeoutException e = assertThrows(SQLTimeoutException.class, rs::next);
      assertTrue(e.getMessage().contains("timeout of 1 s"), e.getMessage());
      awaitNoQueries();
    }
  }

  @Test
  void preparedStatementBindsParameters() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE STREAM few WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '200')");
    }
    try (PreparedStatement p = connection.prepareStatement(
        "SELECT COUNT(*) AS n FROM few WHERE price > ? AND channel <> ? -- not a parameter: ?")) {
      assertEquals(2, p.getParameterMetaData().getParameterCount());
      long all = count(p, 0L, "x'y");
      long some = count(p, 1000L, "x'y");
      assertEquals(184, all);
      assertTrue(some > 0 && some < all, some + " of " + all);
      assertEquals(some, count(p, 1000L, "x'y"));
    }
  }

  private static long count(PreparedStatement p, long price, String channel) throws SQLException {
    p.setLong(1, price);
    p.setString(2, channel);
    try (ResultSet rs = p.executeQuery()) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void insertStartsAQueryThatStopQueryStops() throws Exception {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE sink (auction BIGINT, price BIGINT) WITH ('connector' = 'memory')");
      assertTrue(s.execute("INSERT INTO sink SELECT auction, price FROM nexmark.bid"));
      String id;
      try (ResultSet rs = s.getResultSet()) {
        assertTrue(rs.next());
        assertEquals("sink", rs.getString("query"));
        id = rs.getString("id");
        assertFalse(rs.next());
      }
      assertEquals(List.of(id), runningQueries());
      assertEquals(0, s.executeUpdate("STOP QUERY '" + id + "'"));
      awaitNoQueries();
    }
  }

  @Test
  void databaseMetaDataListsStreamsTablesViewsAndColumns() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE sink (auction BIGINT, price BIGINT) WITH ('connector' = 'memory')");
      s.execute("CREATE VIEW expensive AS SELECT auction, price FROM nexmark.bid WHERE price > 1000");
    }
    DatabaseMetaData md = connection.getMetaData();
    assertEquals("Freshet", md.getDatabaseProductName());
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = md.getTables(null, null, "%", null)) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
      }
    }
    assertTrue(tables.containsAll(List.of("null.sink:TABLE", "null.expensive:VIEW", "nexmark.bid:STREAM",
        "nexmark.auction:STREAM", "nexmark.person:STREAM")), tables.toString());
    List<String> schemas = new ArrayList<>();
    try (ResultSet rs = md.getSchemas()) {
      while (rs.next()) {
        schemas.add(rs.getString("TABLE_SCHEM"));
      }
    }
    assertEquals(List.of("nexmark"), schemas);
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = md.getColumns(null, "nexmark", "bid", null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE"));
      }
    }
    assertEquals("auction BIGINT " + Types.BIGINT, columns.get(0));
    assertTrue(columns.contains("dateTime TIMESTAMP " + Types.TIMESTAMP), columns.toString());
    try (ResultSet rs = md.getColumns(null, null, "expensive", "pri%")) {
      assertTrue(rs.next());
      assertEquals("price", rs.getString("COLUMN_NAME"));
      assertFalse(rs.next());
    }
  }

  @Test
  void errorsCarryFreshetsMessage() throws SQLException {
    try (Statement s = connection.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT nope FROM nexmark.bid"));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
      assertFalse(e.getMessage().contains("org.apache"), e.getMessage());
      SQLException unknown = assertThrows(SQLException.class, () -> s.execute("SELECT * FROM bidz"));
      assertTrue(unknown.getMessage().contains("'bidz'") && unknown.getMessage().contains("line 1, column 15"),
          unknown.getMessage());
    }
  }
}
