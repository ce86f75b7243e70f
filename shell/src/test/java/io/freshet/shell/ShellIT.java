package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-o", "csv", "-e", BIDS
        + " CREATE TABLE all_bids (auction BIGINT) WITH ('connector' = 'console');"
        + " SET 'dml-sync' = 'false';"
        + " INSERT INTO all_bids SELECT auction FROM b WHERE auction = 1000 AND price < 300;"
        + " SHOW QUERIES;").ok();
    // SHOW QUERIES ran while the INSERT was still allowed to run; the console sink printed its batch by the end.
    assertTrue(run.stdout().contains("Batch: 0"), run.stdout());
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
    assertTrue(run.stdout().contains("|stream |connector|input    |"), run.stdout());
    assertTrue(run.stdout().contains("|b      |nexmark  |bounded  |"), run.stdout());
    assertTrue(run.stdout().contains("|auction|"), run.stdout());
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
      shell.awaitCount("auction |", 1);
      shell.ctrlC();
      shell.awaitPrompt(3);
      shell.type("SHOW STREAMS;");
      shell.awaitCount("|s      |rate", 1);
      shell.type("quit;");
      assertEquals(0, shell.running.awaitExit(TIMEOUT));
    }
  }
}
