package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/freshet server} as a user starts it, and JDBC clients that reach it with
 * {@code jdbc:freshet:remote:url=...} through java.sql only.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JdbcServerIT {

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts {@code bin/freshet server args} and waits until it says where it serves. */
  private static Launcher.Running server(int port, String... more) {
    List<String> args = new ArrayList<>(List.of("server", "--port", Integer.toString(port)));
    args.addAll(List.of(more));
    Launcher.Running running = Launcher.Running.start(Launcher.builder("freshet", args, null));
    running.await("the server's address", s -> s.contains("serving jdbc:freshet:remote:url=http://127.0.0.1:"
        + port));
    return running;
  }

  private static List<String> runningQueries(Connection c) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW QUERIES")) {
      while (rs.next()) {
        ids.add(rs.getString("id"));
      }
    }
    return ids;
  }

  private static void awaitQueries(Connection c, List<String> expected) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!runningQueries(c).equals(expected)) {
      assertTrue(System.nanoTime() < deadline, "running: " + runningQueries(c) + ", expected " + expected);
      Thread.onSpinWait();
    }
  }

  @Test
  void theShellConnectsToAServerAndRunsItsStatementsThere() throws Exception {
    int port = freePort();
    String url = "http://127.0.0.1:" + port;
    try (Launcher.Running s = server(port)) {
      Launcher.Result run = Launcher.freshet(Duration.ofMinutes(3), "--connect", url, "-o", "csv", "-e",
          "CREATE STREAM b WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '1000', 'base-time' = "
          + "'2026-01-01 00:00:00'); SELECT COUNT(*), MIN(dateTime) FROM b;").ok();
      assertEquals("920,2026-01-01 00:00:00.004", run.lines().get(0), run.stdout());
      // The stream lives on the server: a second client sees it; its errors are the server's own message.
      // An INSERT runs to its end before the next statement, as in a local script (dml-sync).
      Launcher.Result insert = Launcher.freshet(Duration.ofMinutes(3), "--connect", url, "-o", "csv", "-e",
          "CREATE TABLE kept WITH ('connector' = 'memory'); INSERT INTO kept SELECT auction, price FROM b; "
          + "SELECT COUNT(*) FROM kept;").ok();
      assertTrue(insert.stdout().endsWith("\n920\n"), insert.stdout());
      Launcher.Result second = Launcher.freshet(Duration.ofMinutes(3), "--connect", url, "-e",
          "DESCRIBE b;\nSELECT\n  pricee FROM b;");
      assertEquals(1, second.exit());
      assertTrue(second.stdout().contains("| dateTime | TIMESTAMP(3) | YES  |     |           |"), second.stdout());
      // The error's place is the script's, not the statement's.
      assertEquals("ERROR: No column named 'pricee' (line 3, column 3) (did you mean price?); DESCRIBE a stream to "
          + "list its columns\n", second.stderr());
    }
  }

  @Test
  void oneClientStartsAQueryAnotherListsAndStopsIt() throws Exception {
    int port = freePort();
    String url = "jdbc:freshet:remote:url=http://127.0.0.1:" + port;
    try (Launcher.Running s = server(port);
        Connection first = DriverManager.getConnection(url);
        Connection second = DriverManager.getConnection(url)) {
      String id;
      try (Statement st = first.createStatement()) {
        st.execute("CREATE TABLE prices (auction BIGINT, price BIGINT) WITH ('connector' = 'memory')");
        try (ResultSet rs = st.executeQuery("INSERT INTO prices SELECT auction, price FROM nexmark.bid")) {
          assertTrue(rs.next());
          id = rs.getString("id");
        }
      }
      assertEquals(List.of(id), runningQueries(second));
      try (Statement st = second.createStatement()) {
        assertEquals(0, st.executeUpdate("STOP QUERY '" + id + "'"));
      }
      awaitQueries(first, List.of());

      // A streaming SELECT over the wire: rows with their types, then max rows ends it on the server.
      try (Statement st = second.createStatement()) {
        st.setMaxRows(5);
        try (ResultSet rs = st.executeQuery("SELECT auction, price, dateTime FROM nexmark.bid")) {
          assertEquals(Types.TIMESTAMP, rs.getMetaData().getColumnType(3));
          int rows = 0;
          while (rs.next()) {
            assertTrue(rs.getLong("price") > 0);
            assertTrue(rs.getTimestamp("dateTime") != null);
            rows++;
          }
          assertEquals(5, rows);
        }
      }
      awaitQueries(first, List.of());

      // Errors reach the client with Freshet's message.
      try (Statement st = first.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> st.execute("STOP QUERY nothing"));
        assertTrue(e.getMessage().contains("No running query is named or has the id 'nothing'"), e.getMessage());
        assertEquals("42000", e.getSQLState());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
      }
    }
  }

  @Test
  void aServerOnAnotherAddressRefusesToStartWithoutUsers() throws Exception {
    Launcher.Result r = Launcher.run(Launcher.builder("freshet", List.of("server", "--host", "0.0.0.0", "--port",
        Integer.toString(freePort())), null), "", Duration.ofSeconds(120));
    assertEquals(1, r.exit(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains("0.0.0.0 is not a loopback address") && r.stderr().contains("--users FILE"),
        r.stderr());
    assertFalse(r.stdout().contains("serving"), r.stdout());
  }

  @Test
  void withUsersAWrongPasswordIsRefusedAndTheRightOneWorks(@TempDir Path dir) throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, "# who may connect\nalice: wonderland\n");
    int port = freePort();
    String url = "jdbc:freshet:remote:url=http://127.0.0.1:" + port;
    try (Launcher.Running s = server(port, "--users", users.toString())) {
      Properties wrong = new Properties();
      wrong.setProperty("user", "alice");
      wrong.setProperty("password", "looking-glass");
      SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, wrong));
      assertTrue(refused.getMessage().contains("refused the user name or password"), refused.getMessage());
      assertThrows(SQLException.class, () -> DriverManager.getConnection(url));
      Properties right = new Properties();
      right.setProperty("user", "alice");
      right.setProperty("password", "wonderland");
      try (Connection c = DriverManager.getConnection(url, right); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW STREAMS")) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void theServerOutlivesAClientThatVanishesMidResult() throws Exception {
    int port = freePort();
    String url = "jdbc:freshet:remote:url=http://127.0.0.1:" + port;
    try (Launcher.Running s = server(port)) {
      ProcessBuilder client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), VanishingClient.class.getName(), url);
      Launcher.Result gone = Launcher.run(client, "", Duration.ofSeconds(120));
      assertTrue(gone.stdout().contains("READ 3 ROWS"), gone.stdout() + gone.stderr());
      assertTrue(s.process.isAlive());
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute("CREATE STREAM few WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '100')");
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM few")) {
          assertTrue(rs.next());
          assertNotEquals(0, rs.getLong(1));
        }
      }
    }
  }
}
