package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.freshet.sql.FreshetSession;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellTest {
  private static final String BIDS = "CREATE STREAM b WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '500',"
      + " 'base-time' = '2026-01-01 00:00:00', 'seed' = '3');";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void scriptPrintsBoundedSelectAsCsvAndExitsZero() {
    int code = run("-o", "csv", "-e", BIDS + " SELECT auction, price, dateTime FROM b WHERE price > 1000000;");
    assertEquals(0, code, stderr());
    List<String> lines = stdout().lines().toList();
    assertTrue(lines.size() > 5, stdout());
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
    int code = run("-f", script.toString(), "-o", "csv");
    assertEquals(0, code, stderr());
    assertTrue(stdout().lines().count() > 3, stdout());
    assertTrue(stdout().lines().allMatch(l -> l.matches("\\d+")), stdout());
  }

  @Test
  void withoutDmlSyncInsertsRunInTheBackgroundAndTheScriptWaitsForThemAtTheEnd() {
    int code = run("--no-nexmark", "-o", "csv", "-e", BIDS
        + " CREATE TABLE all_bids (auction BIGINT) WITH ('connector' = 'console');"
        + " SET 'dml-sync' = 'false';"
        + " INSERT INTO all_bids SELECT auction FROM b WHERE auction = 1000 AND price < 300;"
        + " SHOW QUERIES;");
    assertEquals(0, code, stderr());
    // SHOW QUERIES ran while the INSERT was still allowed to run; the console sink printed its batch by the end.
    assertTrue(stdout().contains("Batch: 0"), stdout());
  }

  @Test
  void explainShowsTheLogicalAndPhysicalPlans() {
    int code = run("--no-nexmark", "-e", BIDS + " EXPLAIN SELECT auction FROM b WHERE MOD(auction, 7) = 0;");
    assertEquals(0, code, stderr());
    assertTrue(stdout().contains("== Logical plan =="), stdout());
    assertTrue(stdout().contains("LogicalFilter"), stdout());
    assertTrue(stdout().contains("Calc(filter=[EQ(MOD($0, 7), 0)]"), stdout());
    assertTrue(stdout().contains("Scan(b, bounded)"), stdout());
  }

  @Test
  void windowsAndRunningTotalsInAScript() {
    int code = run("--no-nexmark", "-o", "csv", "-e", BIDS
        // 500 events at 1000 per second: one 1-second window holding the 460 bids.
        + " SELECT window_start, COUNT(*) AS n, MAX(price) >= MIN(price) FROM TABLE(TUMBLE(TABLE b,"
        + " DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end;"
        + " CREATE TABLE per_channel (channel VARCHAR, n BIGINT) WITH ('connector' = 'memory');"
        + " SET 'output-mode' = 'complete';"
        + " INSERT INTO per_channel SELECT channel, COUNT(*) FROM b GROUP BY channel;"
        + " SELECT SUM(n) FROM per_channel;"
        + " EXPLAIN SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE b, DESCRIPTOR(dateTime),"
        + " INTERVAL '1' SECOND)) GROUP BY window_start, window_end;");
    assertEquals(0, code, stderr());
    List<String> lines = stdout().lines().toList();
    assertEquals("2026-01-01 00:00:00.000,460,true", lines.get(0), stdout());
    assertEquals("460", lines.get(1), stdout());
    assertTrue(stdout().contains("WindowAggregate(keys=[0, 1], aggregates=[COUNT(*)]"), stdout());
    assertTrue(stdout().contains("Tumble(size=1000 ms"), stdout());
  }

  @Test
  void tableOutputForShowAndSelect() {
    int code = run("-e", BIDS + " SHOW STREAMS; SELECT auction FROM b WHERE auction = 1000 AND price < 200;");
    assertEquals(0, code, stderr());
    assertTrue(stdout().contains("|stream |connector|input    |"), stdout());
    assertTrue(stdout().contains("|b      |nexmark  |bounded  |"), stdout());
    assertTrue(stdout().contains("|auction|"), stdout());
  }

  @Test
  void anErrorStopsTheScriptWithItsPositionAndExitsOne() {
    int code = run("--no-nexmark", "-e", BIDS + "\nSELECT auction,\n  pricee FROM b;\nSELECT 1 FROM b;");
    assertEquals(1, code);
    assertTrue(stderr().startsWith("ERROR: "), stderr());
    assertTrue(stderr().contains("line 3, column 3"), stderr());
    assertTrue(stderr().contains("pricee"), stderr());
    assertEquals("", stdout());
  }

  @Test
  void badArgumentsPrintUsage() {
    assertEquals(2, run("-o", "xml", "-e", "SHOW STREAMS;"));
    assertTrue(stderr().contains("Usage: freshet"), stderr());
  }

  @Test
  void interactiveShellRunsMultiLineStatementsAndStopsAStreamingSelectOnCtrlC() throws Exception {
    PipedOutputStream keyboard = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
    PrintStream typed = new PrintStream(keyboard, true, StandardCharsets.UTF_8);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream screenOut = new PrintStream(screen, true, StandardCharsets.UTF_8);
    try (FreshetSession session = FreshetSession.builder().console(screenOut).create();
        Terminal terminal = TerminalBuilder.builder().system(false).streams(in, screen).dumb(true).build()) {
      Shell shell = new Shell(session, screenOut, false, true);
      shell.registerDefaults();
      int[] exit = {-1};
      Thread repl = new Thread(() -> exit[0] = Main.repl(shell, terminal));
      repl.start();
      typed.println("CREATE STREAM s");
      typed.println("  WITH ('connector' = 'rate', 'rowsPerSecond' = '1000')");
      typed.println("  ;");
      typed.println("SELECT auction FROM bid WHERE price > 1000;");
      awaitText(screen, "auction |");
      // What the terminal does when the user presses Ctrl-C while a query runs.
      terminal.raise(Terminal.Signal.INT);
      typed.println("SHOW STREAMS;");
      awaitText(screen, "|s      |rate");
      assertTrue(session.streams().active().isEmpty(), "Ctrl-C stopped the streaming SELECT");
      typed.println("quit;");
      repl.join(30_000);
      assertEquals(0, exit[0]);
      assertTrue(screen.toString(StandardCharsets.UTF_8).contains("[INFO] Created stream s"));
    }
  }

  /** Waits (bounded) until the shell has printed {@code text}: the test follows the shell, it does not guess. */
  private static void awaitText(ByteArrayOutputStream screen, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!screen.toString(StandardCharsets.UTF_8).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the shell did not print '" + text + "':\n" + screen.toString(StandardCharsets.UTF_8));
      }
      Thread.onSpinWait();
      Thread.sleep(5);
    }
  }
}
