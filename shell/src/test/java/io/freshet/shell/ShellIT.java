package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/freshet} as a user runs it: scripts with {@code -e} and {@code -f}, and the interactive shell. */
class ShellIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String BIDS = "CREATE STREAM b WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '500',"
      + " 'base-time' = '2026-01-01 00:00:00', 'seed' = '3');";

  @Test
  void scriptPrintsBoundedSelectAsCsvAndExitsZero() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "-o", "csv", "-e",
        BIDS + " SELECT auction, price, dateTime FROM b WHERE price > 1000000;").ok();
    List<String> lines = run.lines();
    assertTrue(lines.size() > 5, run.stdout());
    for (String line : lines) {
      assertTrue(line.matches("\\d+,\\d+,2026-01-01 00:00:00\\.\\d{3}"), line);
      assertTrue(Long.parseLong(line.split(",")[1]) > 1_000_000, line);
    }
  }

  @Test
  void scriptFileRunsInsertThenReadsTheMemoryTable(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("job.sql");
    Files.writeString(script, BIDS + "\n"
        + "CREATE TABLE expensive (auction BIGINT, price BIGINT) WITH ('connector' = 'memory');\n"
        + "-- runs to the end of the bounded input before the next statement (dml-sync)\n"
        + "INSERT INTO expensive SELECT auction, price FROM b WHERE price > 5000000;\n"
        + "SELECT COUNT_ME FROM (SELECT auction AS COUNT_ME FROM expensive) AS x;\n");
    Launcher.Result run = Launcher.freshet(TIMEOUT, "-f", script.toString(), "-o", "csv").ok();
    assertTrue(run.lines().size() > 3, run.stdout());
    assertTrue(run.lines().stream().allMatch(l -> l.matches("\\d+")), run.stdout());
  }

  @Test
  void withoutDmlSyncInsertsRunInTheBackgroundAndTheScriptWaitsForThemAtTheEnd() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-o", "csv", "-e",
        "CREATE STREAM b WITH ('connector' = 'nexmark', 'events' = '2000000', 'base-time' = '2026-01-01 00:00:00',"
        + " 'max-events-per-batch' = '100000');"
        + " CREATE TABLE all_bids WITH ('connector' = 'console', 'numRows' = '1');"
        + " SET 'dml-sync' = 'false';"
        + " INSERT INTO all_bids SELECT auction FROM b;"
        + " SHOW QUERIES;").ok();
    // SHOW QUERIES ran while the INSERT was running: with dml-sync the INSERT would have ended first.
    assertTrue(run.lines().get(0).startsWith("all_bids,"), run.stdout());
    // The script waited for it at the end: all its 20 batches were printed.
    assertTrue(run.stdout().contains("Batch: 19\n"), run.stdout());
  }

  @Test
  void limitOverAnEndlessStreamPrintsItsRowsAndTheScriptGoesOn() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-o", "csv", "-e",
        "CREATE STREAM ticks WITH ('connector' = 'rate', 'rowsPerSecond' = '20');"
            + " SELECT value FROM ticks WHERE MOD(value, 2) = 1 LIMIT 3;"
            + " SELECT value FROM ticks WHERE value = 0 LIMIT 1;").ok();
    // Three odd values, then the next statement ran (over the same endless stream, ended by its own LIMIT).
    List<String> lines = run.lines();
    assertEquals(4, lines.size(), run.stdout());
    for (String odd : lines.subList(0, 3)) {
      assertEquals(1, Long.parseLong(odd) % 2, run.stdout());
    }
    assertEquals("0", lines.get(3), run.stdout());
  }

  @Test
  void aJoinWithoutATimeBoundIsWarnedOfOnStandardErrorAndGivesItsPairs() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-o", "csv", "-e",
        "CREATE STREAM evens WITH ('connector' = 'rate', 'rowsPerSecond' = '50');"
            + " CREATE STREAM all_ticks WITH ('connector' = 'rate', 'rowsPerSecond' = '50');"
            + " SELECT e.value FROM evens e JOIN all_ticks a ON e.value = a.value * 2 LIMIT 3;").ok();
    // The warning goes to standard error, so that the CSV on standard output holds rows only.
    assertTrue(run.stderr().contains("[WARN] The join of node #"), run.stderr());
    assertTrue(run.stderr().contains("SET 'state.ttl'"), run.stderr());
    List<String> lines = run.lines();
    assertEquals(3, lines.size(), run.stdout());
    for (String even : lines) {
      assertEquals(0, Long.parseLong(even) % 2, run.stdout());
    }
  }

  @Test
  void explainShowsTheLogicalAndPhysicalPlans() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-e",
        BIDS + " EXPLAIN SELECT auction FROM b WHERE MOD(auction, 7) = 0;").ok();
    assertTrue(run.stdout().contains("== Logical plan =="), run.stdout());
    assertTrue(run.stdout().contains("LogicalFilter"), run.stdout());
    assertTrue(run.stdout().contains("Calc(filter=[EQ(MOD($0, 7), 0)]"), run.stdout());
    assertTrue(run.stdout().contains("Scan(b, bounded)"), run.stdout());
  }

  @Test
  void windowsAndRunningTotalsInAScript() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-o", "csv", "-e", BIDS
        // 500 events at 1000 per second: one 1-second window holding the 460 bids.
        + " SELECT window_start, COUNT(*) AS n, MAX(price) >= MIN(price) FROM TABLE(TUMBLE(TABLE b,"
        + " DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end;"
        + " CREATE TABLE per_channel (channel VARCHAR, n BIGINT) WITH ('connector' = 'memory');"
        + " SET 'output-mode' = 'complete';"
        + " INSERT INTO per_channel SELECT channel, COUNT(*) FROM b GROUP BY channel;"
        + " SELECT SUM(n) FROM per_channel;"
        + " EXPLAIN SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE b, DESCRIPTOR(dateTime),"
        + " INTERVAL '1' SECOND)) GROUP BY window_start, window_end;").ok();
    List<String> lines = run.lines();
    assertEquals("2026-01-01 00:00:00.000,460,true", lines.get(0), run.stdout());
    assertEquals("460", lines.get(1), run.stdout());
    assertTrue(run.stdout().contains("WindowAggregate(keys=[0, 1], aggregates=[COUNT(*)]"), run.stdout());
    assertTrue(run.stdout().contains("Tumble(size=1000 ms"), run.stdout());
  }

  @Test
  void tableOutputForShowAndSelect() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "-e",
        BIDS + " SHOW STREAMS; SELECT auction FROM b WHERE auction = 1000 AND price < 200;").ok();
    assertTrue(run.stdout().contains("""
        +-----------------+-----------+-----------+
        | stream          | connector | input     |
        +-----------------+-----------+-----------+
        | b               | nexmark   | bounded   |
        | nexmark.auction | nexmark   | unbounded |
        | nexmark.bid     | nexmark   | unbounded |
        | nexmark.person  | nexmark   | unbounded |
        +-----------------+-----------+-----------+
        4 rows
        """), run.stdout());
    assertTrue(run.stdout().contains("| auction |\n+---------+\n|    1000 |"), run.stdout());
  }

  @Test
  void numbersAreNeverCutAndDoublesPrintAsSqlShowsThem() {
    String select = BIDS + " SELECT CAST(33483841.116 AS DOUBLE) AS big, CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE)"
        + " AS tenths, 9223372036854775807 AS most, 'x' AS t FROM b WHERE auction = 1000 AND price < 300;";
    Launcher.Result table = Launcher.freshet(TIMEOUT, "--no-nexmark", "-e", select).ok();
    assertTrue(table.stdout().contains("""
        +--------------+--------+---------------------+---+
        | big          | tenths | most                | t |
        +--------------+--------+---------------------+---+
        | 33483841.116 |    0.3 | 9223372036854775807 | x |
        """), table.stdout());
    Launcher.Result csv = Launcher.freshet(TIMEOUT, "--no-nexmark", "-o", "csv", "-e", select).ok();
    assertEquals("33483841.116,0.3,9223372036854775807,x", csv.lines().get(0), csv.stdout());
  }

  @Test
  void userNamesWinOverTheBuiltInStreams() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "-o", "csv", "-e", """
        CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
          ts TIMESTAMP(3), extra VARCHAR, WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
          WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '1000', 'base-time' = '2026-01-01 00:00:00');
        SELECT COUNT(*), MIN(ts) FROM bid;
        DESCRIBE nexmark.bid;
        """).ok();
    assertEquals("920,2026-01-01 00:00:00.004", run.lines().get(0), run.stdout());
    assertTrue(run.stdout().contains("dateTime,TIMESTAMP(3),YES,,dateTime - INTERVAL '4' SECOND"), run.stdout());
  }

  @Test
  void helpAndMisspeltStatementsSayWhatToType() {
    Launcher.Result help = Launcher.freshet(TIMEOUT, "-e", "HELP; HELP INSERT;").ok();
    assertTrue(help.stdout().contains("  STOP QUERY     STOP QUERY name-or-id"), help.stdout());
    assertTrue(help.stdout().contains("INSERT INTO table SELECT ...\n  Starts a persistent query"), help.stdout());
    Launcher.Result typo = Launcher.freshet(TIMEOUT, "-e", "SELEC auction FROM bid;");
    assertEquals(1, typo.exit());
    assertEquals("ERROR: SQL error at line 1, column 1: unknown statement 'SELEC' (did you mean SELECT?); statements "
        + "start with SELECT, WITH, INSERT, VALUES, CREATE, DROP, SHOW, DESCRIBE, EXPLAIN, SET, RESET, STOP, HELP; "
        + "HELP lists them\n  SELEC auction FROM bid\n  ^^^^^\n", typo.stderr());
  }

  @Test
  void aFailingQueryShowsItsMessageWithoutAStackTraceWhichGoesToTheLog(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad.csv"), "1,a\ntwo,b\n");
    String script = "CREATE STREAM s (id BIGINT, name VARCHAR) WITH ('connector' = 'file', 'path' = '" + dir
        + "', 'format' = 'csv', 'mode' = 'FAILFAST', 'bounded' = 'true');\n"
        + "CREATE TABLE out (id BIGINT) WITH ('connector' = 'console');\n"
        + "INSERT INTO `out` SELECT id FROM s;";
    Path logs = dir.resolve("logs");
    ProcessBuilder quiet = Launcher.builder("freshet", List.of("--no-nexmark", "-e", script), null);
    quiet.environment().put("FRESHET_LOG_DIR", logs.toString());
    Launcher.Result run = Launcher.run(quiet, "", TIMEOUT);
    assertEquals(1, run.exit());
    assertTrue(run.stderr().startsWith("ERROR: Query out [id = "), run.stderr());
    assertTrue(run.stderr().contains("Malformed csv record at file " + dir.resolve("bad.csv") + ", line 2"),
        run.stderr());
    assertFalse(run.stderr().contains("\tat "), run.stderr());
    assertEquals(1, run.stderr().lines().count(), run.stderr());
    String log = Files.readString(logs.resolve("freshet.log"));
    assertTrue(log.contains("Malformed csv record") && log.contains("\tat io.freshet."), log);

    Launcher.Result verbose = Launcher.freshet(TIMEOUT, "--no-nexmark", "--verbose", "-e", script);
    assertEquals(1, verbose.exit());
    assertTrue(verbose.stderr().contains("\tat io.freshet."), verbose.stderr());
  }

  @Test
  void aSocketSourceWithNothingListeningSaysSo() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (Launcher.Running run = Launcher.Running.start(Launcher.builder("freshet", List.of("--no-nexmark", "-e",
        "CREATE STREAM lines WITH ('connector' = 'socket', 'port' = '" + port + "'); SELECT * FROM lines;"), null))) {
      String err = run.awaitStderr("cannot reach localhost:" + port + " (Connection refused); retrying in");
      assertTrue(err.startsWith("[status] SocketSource[localhost:" + port + "]: "), err);
      run.signal("TERM");
      assertEquals(143, run.awaitExit(TIMEOUT));
    }
  }

  @Test
  void anEmbeddingJvmWithoutTheArrowFlagIsToldWhichFlagToAdd() {
    ProcessBuilder plain = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
        Launcher.REPOSITORY.resolve("shell/target/freshet.jar").toString(), "io.freshet.shell.Main", "-e",
        "SHOW STREAMS;");
    Launcher.Result run = Launcher.run(plain, "", TIMEOUT);
    assertEquals(1, run.exit());
    assertTrue(run.stderr().startsWith("ERROR: A Freshet session needs the JVM option "
        + "--add-opens=java.base/java.nio=ALL-UNNAMED"), run.stderr());
  }

  @Test
  void anErrorStopsTheScriptWithItsPositionAndExitsOne() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-e",
        BIDS + "\nSELECT auction,\n  pricee FROM b;\nSELECT 1 FROM b;");
    assertEquals(1, run.exit());
    assertTrue(run.stderr().startsWith("ERROR: "), run.stderr());
    assertTrue(run.stderr().contains("line 3, column 3"), run.stderr());
    assertTrue(run.stderr().contains("pricee"), run.stderr());
    assertEquals("", run.stdout());
  }

  @Test
  void badArgumentsPrintUsage() {
    Launcher.Result run = Launcher.freshet(TIMEOUT, "-o", "xml", "-e", "SHOW STREAMS;");
    assertEquals(2, run.exit());
    assertTrue(run.stderr().contains("Usage: freshet"), run.stderr());
  }

  @Test
  void interactiveShellRunsMultiLineStatementsAndStopsAStreamingSelectOnCtrlC() {
    try (Launcher.Terminal shell = new Launcher.Terminal("freshet", List.of(), Map.of())) {
      shell.awaitPrompt(1);
      shell.type("CREATE STREAM s");
      shell.type("  WITH ('connector' = 'rate', 'rowsPerSecond' = '1000')");
      shell.type("  ;");
      shell.awaitCount("[INFO] Created stream s", 1);
      shell.type("SELECT auction FROM bid WHERE price > 1000;");
      shell.awaitCount("| auction |", 1);
      shell.ctrlC();
      shell.awaitCount(" rows\n", 1);
      shell.type("SHOW STREAMS;");
      shell.awaitCount("| s               | rate      | unbounded |", 1);
      shell.type("quit;");
      assertEquals(0, shell.running.awaitExit(TIMEOUT));
    }
  }

  @Test
  void anInsertRunsInTheBackgroundAndStopQueryCtrlCAndCtrlDAlwaysAnswer(@TempDir Path logs) throws Exception {
    try (Launcher.Terminal shell = new Launcher.Terminal("freshet", List.of(), Map.of("FRESHET_LOG_DIR",
        logs.toString()))) {
      shell.awaitPrompt(1);
      shell.type("CREATE TABLE sunk WITH ('connector' = 'blackhole');");
      shell.type("CREATE TABLE also WITH ('connector' = 'blackhole');");
      // Over an endless stream: the prompt comes back at once.
      shell.type("INSERT INTO sunk SELECT auction, price FROM bid;");
      shell.awaitCount("[INFO] Started query sunk [id = ", 1);
      shell.type("INSERT INTO also SELECT auction FROM bid;");
      shell.awaitCount("[INFO] Started query also [id = ", 1);
      shell.type("SHOW QUERIES;");
      String screen = shell.awaitCount("2 rows", 1);
      assertTrue(screen.contains("| sunk ") && screen.contains("| also "), screen);
      shell.type("STOP QUERY sunk;");
      shell.awaitCount("[INFO] Stopped query sunk [id = ", 1);
      // A bounded SELECT that would run for minutes: Ctrl-C brings the prompt back.
      shell.type("CREATE STREAM huge WITH ('connector' = 'nexmark', 'events' = '1000000000');");
      shell.type("SELECT COUNT(*) FROM huge;");
      awaitLog(logs, "Starting query [id = ");
      int prompts = Launcher.prompts(shell.screen());
      shell.ctrlC();
      // What the stopped query had counted is not the answer, and is not shown as one.
      assertTrue(shell.awaitPrompt(prompts + 1).contains("[INFO] Cancelled before the query ended; no answer"));
      shell.type("SHOW QUERIES;");
      screen = shell.awaitPrompt(prompts + 2);
      assertTrue(screen.contains("| also ") && screen.contains("1 row\n"), screen);
      // Ctrl-D at the prompt leaves, once the user says so, stopping what still runs.
      shell.ctrlD();
      shell.awaitCount("1 query is running; stop it and exit? [y/N] ", 1);
      shell.type("y");
      shell.awaitCount("[INFO] Stopping 1 running query (each commits its batch in flight)...", 1);
      assertEquals(0, shell.running.awaitExit(TIMEOUT));
    }
  }

  /** Waits until the shell's log holds {@code text}: the shell has got that far. */
  private static void awaitLog(Path logs, String text) throws Exception {
    Path log = logs.resolve("freshet.log");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !Files.readString(log).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the log never said '" + text + "'");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aBackgroundQueryThatFailsIsReportedAtThePrompt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("bad.csv"), "1\ntwo\n");
    try (Launcher.Terminal shell = new Launcher.Terminal("freshet", List.of("--no-nexmark"), Map.of())) {
      shell.awaitPrompt(1);
      shell.type("CREATE STREAM s (id BIGINT) WITH ('connector' = 'file', 'path' = '" + dir + "', 'format' = 'csv', "
          + "'mode' = 'FAILFAST');");
      shell.type("CREATE TABLE t WITH ('connector' = 'blackhole');");
      shell.type("INSERT INTO t SELECT id FROM s;");
      String screen = shell.awaitCount("[ERROR] Query t [id = ", 1);
      assertTrue(screen.contains("Malformed csv record at file " + dir.resolve("bad.csv") + ", line 2"), screen);
      shell.type("quit;");
      assertEquals(0, shell.running.awaitExit(TIMEOUT));
    }
  }
}
