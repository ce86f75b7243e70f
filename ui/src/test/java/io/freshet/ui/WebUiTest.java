package io.freshet.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.StatementResult;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI over HTTP on a free port while a stateful query runs: {@code /metrics} parsed as the Prometheus text
 * format, the JSON API, the pages and Chart.js, the setting {@code ui.enabled}, and nothing listening after close.
 */
class WebUiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private FreshetSession session;
  private StreamingQuery query;

  @BeforeEach
  void startQuery() {
    session = FreshetSession.builder().master("local[1]").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)"
        + " WITH ('connector' = 'memory')");
    session.sql("CREATE TABLE counts WITH ('connector' = 'memory', 'output-mode' = 'update')");
    query = ((StatementResult.Started) session.execute("INSERT INTO counts SELECT k, COUNT(*) AS c FROM s GROUP BY k",
        1, 1)).query();
    LocalDateTime t0 = LocalDateTime.of(2026, 1, 1, 0, 0);
    session.memoryStream("s").addData(Row.of("a", 1L, t0), Row.of("b", 2L, t0.plusSeconds(10)),
        Row.of("a", 3L, t0.plusSeconds(20)));
    query.processAllAvailable();
    // The second batch runs with the watermark the first one set: its latest event time, 00:00:20, less 5 s.
    session.memoryStream("s").addData(Row.of("c", 4L, t0.plusSeconds(21)));
    query.processAllAvailable();
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void metricsAreTheQueriesProgressInPrometheusTextFormat() throws Exception {
    try (WebUi ui = WebUi.start(session, "127.0.0.1", 0, url -> { })) {
      HttpResponse<String> r = get(ui.url() + "metrics");
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
          r.headers().toString());
      List<PrometheusText.Sample> samples = PrometheusText.parse(r.body());
      Map<String, String> labels = Map.of("query", query.name(), "id", query.id().toString());
      assertEquals(4, PrometheusText.value(samples, "freshet_query_input_rows_total", labels));
      assertEquals(1, PrometheusText.value(samples, "freshet_queries_running", Map.of()));
      assertEquals(0, PrometheusText.value(samples, "freshet_queries_failed_total", Map.of()));
      assertEquals(LocalDateTime.of(2026, 1, 1, 0, 0, 15).toInstant(java.time.ZoneOffset.UTC).toEpochMilli(),
          PrometheusText.value(samples, "freshet_query_watermark_epoch_ms", labels));
      assertEquals(3, PrometheusText.value(samples, "freshet_state_rows", labels));
      assertEquals(List.of(Map.of("query", query.name(), "id", query.id().toString(), "node", "#2 Aggregate")),
          samples.stream().filter(x -> x.name().equals("freshet_state_rows")).map(x -> x.labels()).toList());
      assertEquals(4, PrometheusText.value(samples, "freshet_node_rows_total", Map.of("node", "#0 s")));
      assertTrue(PrometheusText.value(samples, "freshet_state_bytes", labels) > 0);
      assertEquals(0, PrometheusText.value(samples, "freshet_state_late_rows_dropped", labels));
      assertTrue(PrometheusText.value(samples, "freshet_query_last_batch_duration_seconds", labels) >= 0);
    }
  }

  @Test
  void theJsonApiListsTheQueriesAndGivesEachWithItsProgressAndPlan() throws Exception {
    try (WebUi ui = WebUi.start(session, "127.0.0.1", 0, url -> { })) {
      JsonNode list = JSON.readTree(get(ui.url() + "api/v1/queries").body());
      assertEquals(1, list.size());
      JsonNode q = list.get(0);
      assertEquals(query.id().toString(), q.get("id").asText());
      assertTrue(q.get("active").asBoolean());
      assertEquals(4, q.get("totalInputRows").asLong());
      assertEquals(3, q.get("stateRows").asLong());
      assertEquals("2026-01-01T00:00:15Z", q.get("watermark").asText());
      JsonNode one = JSON.readTree(get(ui.url() + "api/v1/queries/" + query.id()).body());
      assertTrue(one.get("recentProgress").size() >= 1);
      JsonNode last = one.get("recentProgress").get(one.get("recentProgress").size() - 1);
      assertEquals(query.lastProgress().batchId(), last.get("batchId").asLong());
      assertTrue(last.get("durationMs").has("triggerExecution"), last.toString());
      assertTrue(one.get("plan").asText().contains("state: 3 rows"), one.get("plan").asText());
      assertEquals(404, get(ui.url() + "api/v1/queries/no-such-id").statusCode());
      query.stop();
      JsonNode ended = JSON.readTree(get(ui.url() + "api/v1/queries").body()).get(0);
      assertEquals("Stopped", ended.get("status").asText());
    }
  }

  @Test
  void aFailedQueryIsCountedAndListedWithItsError() throws Exception {
    session.sql("CREATE STREAM f (v BIGINT) WITH ('connector' = 'memory')");
    session.memoryStream("f").addData(Row.of(1L));
    StreamingQuery failing = session.sql("SELECT v FROM f").writeStream()
        .foreachBatch((rows, id) -> {
          throw new IllegalStateException("downstream is full");
        }).start();
    assertThrows(Exception.class, failing::awaitTermination);
    try (WebUi ui = WebUi.start(session, "127.0.0.1", 0, url -> { })) {
      List<PrometheusText.Sample> samples = PrometheusText.parse(get(ui.url() + "metrics").body());
      assertEquals(1, PrometheusText.value(samples, "freshet_queries_failed_total", Map.of()));
      assertEquals(1, PrometheusText.value(samples, "freshet_queries_running", Map.of()));
      JsonNode list = JSON.readTree(get(ui.url() + "api/v1/queries").body());
      assertEquals(2, list.size());
      assertEquals(query.id().toString(), list.get(0).get("id").asText());
      assertEquals("Failed", list.get(1).get("status").asText());
      assertTrue(list.get(1).get("exception").asText().contains("downstream is full"), list.toString());
    }
  }

  @Test
  void thePagesAndChartJsAreServedFromTheJar() throws Exception {
    try (WebUi ui = WebUi.start(session, "127.0.0.1", 0, url -> { })) {
      assertTrue(get(ui.url()).body().contains("<table id=\"queries\""));
      assertTrue(get(ui.url() + "query.html").body().contains("<canvas id=\"rates\""));
      HttpResponse<String> chart = get(ui.url() + "static/chart.umd.js");
      assertEquals(200, chart.statusCode());
      assertTrue(chart.body().contains("Chart.js v4"), chart.body().substring(0, 200));
      assertEquals(404, get(ui.url() + "nothing").statusCode());
    }
  }

  @Test
  void theSettingStopsAndStartsTheServerAndCloseStopsIt() throws Exception {
    List<String> announced = new CopyOnWriteArrayList<>();
    WebUi ui = WebUi.start(session, "127.0.0.1", 0, announced::add);
    String first = ui.url();
    assertEquals(List.of(first), announced);
    session.sql("SET 'ui.enabled' = 'false'");
    assertNull(ui.url());
    assertThrows(ConnectException.class, () -> get(first + "metrics"));
    session.sql("SET 'ui.enabled' = 'true'");
    assertEquals(200, get(ui.url() + "metrics").statusCode());
    String second = ui.url();
    ui.close();
    assertThrows(ConnectException.class, () -> get(second + "metrics"));
    assertTrue(assertThrows(Exception.class, () -> session.sql("SET 'ui.enabled' = 'maybe'")).getMessage()
        .contains("true or false"));
  }

  @Test
  void aTakenPortIsSkippedForTheNextFreeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      try (WebUi ui = WebUi.start(session, "127.0.0.1", taken.getLocalPort(), url -> { })) {
        assertNotEquals("http://127.0.0.1:" + taken.getLocalPort() + "/", ui.url());
        assertEquals(200, get(ui.url() + "metrics").statusCode());
      }
    }
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
