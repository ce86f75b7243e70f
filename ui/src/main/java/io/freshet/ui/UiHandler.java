package io.freshet.ui;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * The UI's routes (GET only): {@code /} the list of queries, {@code /query.html?id=...} one query, the pages'
 * script and style, Chart.js from its webjar, {@code /metrics}, {@code /api/v1/queries} and
 * {@code /api/v1/queries/{id}}. Anything else is 404.
 */
final class UiHandler extends AbstractHandler {
  private static final String API = "/api/v1/queries";
  /** The page files, from this package's {@code static} resources, with their content types. */
  private static final Map<String, String> PAGES = Map.of(
      "/index.html", "text/html; charset=utf-8",
      "/query.html", "text/html; charset=utf-8",
      "/ui.js", "text/javascript; charset=utf-8",
      "/ui.css", "text/css; charset=utf-8");
  private static final String CHART_JS = "/static/chart.umd.js";
  private static final String CHART_JS_RESOURCE = "META-INF/resources/webjars/chart.js/" + chartJsVersion()
      + "/dist/chart.umd.js";

  private final QueriesJson json;
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

  UiHandler(QueriesJson json, PrometheusRegistry registry) {
    this.json = json;
    this.registry = registry;
  }

  @Override
  public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    base.setHandled(true);
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      response.sendError(405, "only GET");
      return;
    }
    response.setHeader("Cache-Control", "no-store");
    String path = target.equals("/") ? "/index.html" : target;
    if (path.equals("/metrics")) {
      response.setContentType(text.getContentType());
      try (OutputStream out = response.getOutputStream()) {
        text.write(out, registry.scrape());
      }
    } else if (path.equals(API) || path.equals(API + "/")) {
      send(response, "application/json", json.list());
    } else if (path.startsWith(API + "/")) {
      String one = json.one(path.substring(API.length() + 1));
      if (one == null) {
        response.sendError(404, "no query has the id " + path.substring(API.length() + 1));
      } else {
        send(response, "application/json", one);
      }
    } else if (PAGES.containsKey(path)) {
      resource(response, "io/freshet/ui/static" + path, PAGES.get(path));
    } else if (path.equals(CHART_JS)) {
      resource(response, CHART_JS_RESOURCE, "text/javascript; charset=utf-8");
    } else {
      response.sendError(404, "nothing at " + path);
    }
  }

  private static void send(HttpServletResponse response, String type, String body) throws IOException {
    response.setContentType(type + "; charset=utf-8");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  private static void resource(HttpServletResponse response, String name, String type) throws IOException {
    try (InputStream in = UiHandler.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        response.sendError(500, "missing resource " + name);
        return;
      }
      response.setContentType(type);
      in.transferTo(response.getOutputStream());
    }
  }

  /** The version of the Chart.js webjar on the class path, from its Maven properties. */
  private static String chartJsVersion() {
    try (InputStream in = UiHandler.class.getClassLoader().getResourceAsStream(
        "META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "missing");
    } catch (IOException e) {
      return "missing";
    }
  }
}
