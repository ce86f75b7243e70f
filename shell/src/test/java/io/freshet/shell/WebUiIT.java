package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web UI of {@code bin/freshet server} in a real browser: the server prints the UI's address, a client starts a
 * stateful query, and Debian's chromium, headless, loads the list and the query's page; once the pages' script has
 * run, the list shows the query and the query's page its charts (with points) and recent batches with current
 * numbers; each batch is a line in the log file, and nothing reaches the terminal but the two addresses. The query
 * page's screenshot is kept as {@code shell/target/webui-query.png}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebUiIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern UI = Pattern.compile("Web UI and /metrics at (http://127\\.0\\.0\\.1:\\d+/)");

  @Test
  void chromiumShowsTheChartsAndBatchesOfARunningQuery() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path logs = Files.createTempDirectory("freshet-webui-log");
    ProcessBuilder builder = Launcher.builder("freshet", List.of("server", "--port", Integer.toString(port)),
        "-Dfreshet.ui.port=0");
    builder.environment().put("FRESHET_LOG_DIR", logs.toString());
    Launcher.Running server = Launcher.Running.start(builder);
    String ui;
    try (server) {
      Matcher m = UI.matcher(server.await("the web UI's address", s -> UI.matcher(s).find()));
      assertTrue(m.find());
      ui = m.group(1);
      try (Connection c = DriverManager.getConnection("jdbc:freshet:remote:url=http://127.0.0.1:" + port);
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE counts WITH ('connector' = 'memory', 'output-mode' = 'update')");
        String id;
        try (ResultSet rs = st.executeQuery("INSERT INTO counts SELECT auction, COUNT(*) AS n FROM nexmark.bid "
            + "GROUP BY auction")) {
          assertTrue(rs.next());
          id = rs.getString("id");
        }
        awaitBatches(ui + "api/v1/queries/" + id, 3);
        String metrics = get(ui + "metrics").body();
        assertTrue(metrics.contains("freshet_query_input_rows_total{id=\"" + id + "\",query=\"counts\"}")
            || metrics.contains("freshet_query_input_rows_total{query=\"counts\",id=\"" + id + "\"}"), metrics);

        String list = chromium("--dump-dom", ui);
        assertTrue(list.contains(">" + id + "</td>"), list);

        Path target = Launcher.REPOSITORY.resolve("shell").resolve("target");
        Files.createDirectories(target);
        Path png = target.resolve("webui-query.png");
        Files.deleteIfExists(png);
        String page = chromium("--dump-dom", ui + "query.html?id=" + id);
        for (String chart : List.of("rates", "durations", "watermark", "state", "late")) {
          Matcher points = Pattern.compile("<canvas id=\"" + chart + "\"[^>]*data-points=\"(\\d+)\"").matcher(page);
          assertTrue(points.find() && Integer.parseInt(points.group(1)) >= 3, chart + " in " + page);
        }
        Matcher batch = Pattern.compile("<tbody><tr><td>(\\d+)</td>").matcher(page.substring(
            page.indexOf("id=\"batches\"")));
        assertTrue(batch.find(), page);
        long latest = Long.parseLong(batch.group(1));
        long now = latestBatch(get(ui + "api/v1/queries/" + id).body());
        assertTrue(latest >= 2 && latest <= now, latest + " against " + now);
        assertTrue(page.contains("state: "), page);
        chromium("--screenshot=" + png, ui + "query.html?id=" + id);
        assertTrue(Files.size(png) > 10_000, "screenshot " + png);
      }
      // A line per batch in the log file, none on the terminal: the server prints only where it serves.
      String log = Files.readString(logs.resolve("freshet.log"));
      assertTrue(Pattern.compile("INFO io\\.freshet\\.exec\\.engine\\.ProgressRecorder - Query counts batch \\d+: "
          + "\\d+ rows in, \\d+ rows out, \\d+ ms, watermark \\d{4}-").matcher(log).find(),
          log.substring(Math.max(0, log.length() - 3000)));
      assertEquals(2, server.stdout().lines().count(), server.stdout());
      assertEquals("", server.stderr());
      // SIGTERM: the shutdown hook stops the UI, then the engine; the JVM's status is then 128 + 15.
      server.signal("TERM");
      assertEquals(143, server.awaitExit(Duration.ofSeconds(30)), server.stderr());
    }
    Files.deleteIfExists(logs.resolve("freshet.log"));
    Files.deleteIfExists(logs);
  }

  /** Waits until the query has reported {@code n} batches with rows. */
  private static void awaitBatches(String url, long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (latestBatch(get(url).body()) < n) {
      assertTrue(System.nanoTime() < deadline, get(url).body());
      Thread.sleep(100);
    }
  }

  private static long latestBatch(String json) {
    Matcher m = Pattern.compile("\"latestBatch\":(\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Runs chromium headless on {@code url} with {@code what} (--dump-dom or --screenshot=FILE), after the page's
   * script has had a few seconds of virtual time; returns what it printed.
   */
  private static String chromium(String what, String url) throws Exception {
    List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--window-size=1280,1800", "--virtual-time-budget=4000",
        what, url));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new AssertionError("chromium is needed (apt-get install chromium; .ci/run installs it): " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not end");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
