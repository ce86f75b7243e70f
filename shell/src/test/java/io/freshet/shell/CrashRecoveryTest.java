package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.format.SinkManifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query from a file directory to a file sink runs in a child JVM ({@code bin/freshet -f}) that the test kills
 * with SIGKILL again and again, each time restarting it from the same checkpoint: paused exactly while a batch's
 * output is written but not committed, paused exactly after the sink committed a batch the commit log does not
 * hold yet, paused exactly while a state file is half way into the checkpoint, and at
 * random moments. The committed output must then equal that of a run nobody interrupted: no row lost, none doubled.
 * The number of kills is {@code -Dfreshet.crash.kills} (default 6; the long run uses more).
 */
class CrashRecoveryTest {
  private static final int FILES = 24;
  private static final int KILLS = Integer.getInteger("freshet.crash.kills", 6);

  @TempDir
  Path tmp;

  private Path input;

  private void writeInput() throws IOException {
    input = Files.createDirectories(tmp.resolve("in"));
    Random random = new Random(42);
    for (int f = 0; f < FILES; f++) {
      StringBuilder text = new StringBuilder();
      for (int r = 0; r < 400; r++) {
        // Event time moves 5 s per file, with rows up to 1.5 s out of order (the watermark allows 2 s).
        long ms = 1_767_225_600_000L + f * 5_000L + r * 12L - random.nextInt(1500);
        text.append(random.nextInt(20)).append(',').append(random.nextInt(10_000)).append(',')
            .append(java.time.Instant.ofEpochMilli(ms).toString().replace('T', ' ').replace("Z", "")).append('\n');
      }
      Path file = input.resolve(String.format("bids-%03d.csv", f));
      Files.writeString(file, text);
      file.toFile().setLastModified(1_700_000_000_000L + f * 1000L);
    }
  }

  private Path script(String name, String columns, String query) throws IOException {
    Path dir = tmp.resolve(name);
    String sql = "SET 'checkpoint-location' = '" + dir.resolve("checkpoint") + "';\n"
        + "CREATE STREAM bids (k BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)"
        + " WITH ('connector' = 'file', 'path' = '" + input + "', 'format' = 'csv', 'maxFilesPerTrigger' = '1', "
        + "'bounded' = 'true');\n"
        + "CREATE TABLE results (" + columns + ") WITH ('connector' = 'file', 'path' = '" + dir.resolve("out")
        + "', 'format' = 'csv');\n"
        + "INSERT INTO results " + query + ";\n";
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("query.sql"), sql);
  }

  private Process start(Path script, String pauseAt) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    if (pauseAt != null) {
      command.add("-Dfreshet.test.pauseAt=" + pauseAt);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--no-nexmark",
        "-f", script.toString()));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Standard error of a child, line by line, read on a thread of its own. */
  private static LinkedBlockingQueue<String> stderr(Process p) {
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process was killed
      }
      lines.add("<eof>");
    });
    t.setDaemon(true);
    t.start();
    return lines;
  }

  private static void runToEnd(Process p, LinkedBlockingQueue<String> err) throws Exception {
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the query did not finish");
    assertEquals(0, p.exitValue(), () -> "the query failed: " + String.join("\n", err));
  }

  /** The committed output rows, sorted. */
  private static List<String> output(Path dir) throws IOException {
    List<String> rows = new ArrayList<>();
    for (Path part : SinkManifest.committedFiles(dir.resolve("out"))) {
      rows.addAll(Files.readAllLines(part));
    }
    rows.sort(null);
    return rows;
  }

  private void crashAndCompare(String columns, String query) throws Exception {
    writeInput();
    Path baseline = script("baseline", columns, query);
    Process clean = start(baseline, null);
    runToEnd(clean, stderr(clean));
    List<String> expected = output(baseline.getParent());
    assertTrue(expected.size() > 100, "the query gives output: " + expected.size());

    Path crashed = script("crashed", columns, query);
    Random random = new Random();
    String[] points = query.contains("TUMBLE")
        ? new String[] {"sink-write", "state-checkpoint", "sink-committed", null}
        : new String[] {"sink-write", "sink-committed", null};
    int kills = 0;
    for (int i = 0; i < KILLS; i++) {
      String point = points[i % points.length];
      Process p = start(crashed, point == null ? null : point + ":" + (1 + random.nextInt(3)));
      LinkedBlockingQueue<String> err = stderr(p);
      if (point != null) {
        String line;
        do {
          line = err.poll(120, TimeUnit.SECONDS);
        } while (line != null && !line.equals("FRESHET-PAUSED " + point) && !line.equals("<eof>"));
        assertEquals("FRESHET-PAUSED " + point, line, "the child reached " + point + ": " + String.join("\n", err));
      } else {
        // A random moment: while it starts, plans, or runs any part of a batch.
        Thread.sleep(300 + random.nextInt(2000));
      }
      p.destroyForcibly();
      p.waitFor();
      kills++;
    }
    Process last = start(crashed, null);
    runToEnd(last, stderr(last));
    assertTrue(kills >= 5);
    assertEquals(expected, output(crashed.getParent()), "the output after " + kills + " kills");
  }

  @Test
  void aStatelessQuerySurvivesKillsWithNothingLostOrDoubled() throws Exception {
    crashAndCompare("k BIGINT, doubled BIGINT, ts TIMESTAMP(3)",
        "SELECT k, price * 2 AS doubled, ts FROM bids WHERE MOD(price, 3) <> 0");
  }

  @Test
  void aWindowedAggregationSurvivesKillsWithNothingLostOrDoubled() throws Exception {
    crashAndCompare("window_start TIMESTAMP(3), k BIGINT, c BIGINT, total BIGINT, top BIGINT",
        "SELECT window_start, k, COUNT(*) AS c, SUM(price) AS total, MAX(price) AS top "
            + "FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k");
  }
}
