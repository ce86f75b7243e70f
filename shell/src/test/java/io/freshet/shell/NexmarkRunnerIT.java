package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/freshet bench nexmark}: a row of figures per query, JSON lines, and the ratio to an earlier run. */
class NexmarkRunnerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path tmp;

  @Test
  void runsQueriesIntoABlackholeAndReportsTheirFigures() throws Exception {
    Path json = tmp.resolve("run.jsonl");
    Launcher.Result first = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q1,q2,q14", "--events", "20000",
        "--parallelism", "2", "--json", json.toString()).ok();
    assertTrue(first.stdout().contains("Nexmark: 20000 events a query, event-time rate 10000000/s, parallelism 2"),
        first.stdout());
    // q2 reads the bids, 46 of every 50 events.
    assertTrue(first.stdout().lines().anyMatch(l -> l.matches("q2\\s+18400\\s+[0-9.]+\\s+\\d+\\s+\\d+.*")),
        first.stdout());
    List<String> lines = Files.readAllLines(json);
    assertEquals(3, lines.size(), lines.toString());
    // q14 declares its function (CREATE FUNCTION count_char) before its query.
    assertTrue(first.stdout().lines().anyMatch(l -> l.matches("q14\\s+18400\\s+.*")), first.stdout());
    JsonNode q2 = new ObjectMapper().readTree(lines.get(1));
    assertEquals("q2", q2.path("query").asText());
    assertEquals(20000, q2.path("events").asLong());
    assertEquals(18400, q2.path("rowsRead").asLong());
    assertTrue(q2.path("wallSeconds").asDouble() > 0 && q2.path("cpuSeconds").asDouble() > 0, q2.toString());
    assertEquals(q2.path("rowsRead").asDouble() / q2.path("wallSeconds").asDouble(),
        q2.path("eventsPerSecond").asDouble(), 1e-6 * q2.path("eventsPerSecond").asDouble());

    Launcher.Result again = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q2", "--events", "20000",
        "--parallelism", "2", "--compare", json.toString()).ok();
    assertTrue(again.stdout().lines().anyMatch(l -> l.startsWith("q2") && l.matches(".*\\d+\\.\\d\\dx$")),
        again.stdout());

    Path png = tmp.resolve("chart.png");
    Launcher.freshet(TIMEOUT, "bench", "nexmark", "--chart", png.toString(), "--from", json.toString()).ok();
    byte[] image = Files.readAllBytes(png);
    assertTrue(image.length > 1000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG: " + png);

    Launcher.Result unknown = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q99");
    assertEquals(2, unknown.exit(), unknown.stderr());
    assertTrue(unknown.stderr().contains("No query q99"), unknown.stderr());
  }

  @Test
  void theLatencyModeReportsPercentilesOfEveryEventAfterTheWarmUp() throws Exception {
    Path json = tmp.resolve("latency.jsonl");
    // 20 000 events released at 10 000 a second: two seconds, the first half second of them not counted.
    Launcher.Result run = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q2", "--latency", "--events",
        "20000", "--rate", "10000", "--warmup", "5000", "--parallelism", "2", "--json", json.toString()).ok();
    assertTrue(run.stdout().contains("Nexmark latency: 20000 events a query released at 10000/s in wall-clock time "
        + "(the first 5000 not counted), parallelism 2, checkpoint every batch"), run.stdout());
    assertTrue(run.stdout().lines().anyMatch(l -> l.matches("q2\\s+15000\\s+\\d+(\\s+[0-9.]+){6}")),
        run.stdout());
    JsonNode q2 = new ObjectMapper().readTree(Files.readAllLines(json).get(0));
    assertEquals("latency", q2.path("mode").asText());
    assertEquals(15000, q2.path("measuredEvents").asLong(), "every event after the warm-up, once");
    double p50 = q2.path("p50Ms").asDouble();
    double p99 = q2.path("p99Ms").asDouble();
    assertTrue(p50 >= 0 && p50 <= p99 && p99 <= q2.path("maxMs").asDouble(), q2.toString());

    // Under the continuous trigger, with where a batch's time goes.
    Launcher.Result continuous = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q2", "--latency",
        "--events", "20000", "--rate", "10000", "--warmup", "5000", "--trigger", "continuous").ok();
    assertTrue(continuous.stdout().contains("checkpoint every batch (asynchronous, continuous trigger)"),
        continuous.stdout());
    assertTrue(continuous.stdout().lines().anyMatch(l -> l.contains("mean ms a batch:")
        && l.contains("checkpointWait ") && l.contains("triggerExecution ")), continuous.stdout());

    Launcher.Result none = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q2", "--latency", "--events",
        "1000", "--warmup", "1000");
    assertEquals(2, none.exit(), none.stderr());
    assertTrue(none.stderr().contains("--warmup 1000 leaves none of the 1000 events to measure"), none.stderr());
    // The run lasts until the generator has released its events, 2 s after the planning began and 2 s long.
    assertTrue(q2.path("wallSeconds").asDouble() >= 1.0, q2.toString());
  }
}
