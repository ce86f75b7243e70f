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
    Launcher.Result first = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q1,q2", "--events", "20000",
        "--parallelism", "2", "--json", json.toString()).ok();
    assertTrue(first.stdout().contains("Nexmark: 20000 events a query, event-time rate 10000000/s, parallelism 2"),
        first.stdout());
    // q2 reads the bids, 46 of every 50 events.
    assertTrue(first.stdout().lines().anyMatch(l -> l.matches("q2\\s+18400\\s+[0-9.]+\\s+\\d+\\s+\\d+.*")),
        first.stdout());
    List<String> lines = Files.readAllLines(json);
    assertEquals(2, lines.size(), lines.toString());
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

    Launcher.Result unknown = Launcher.freshet(TIMEOUT, "bench", "nexmark", "--query", "q99");
    assertEquals(2, unknown.exit(), unknown.stderr());
    assertTrue(unknown.stderr().contains("No query q99"), unknown.stderr());
  }
}
