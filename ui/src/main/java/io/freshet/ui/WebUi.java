package io.freshet.ui;

import io.freshet.sql.FreshetSession;
import io.freshet.sql.RuntimeConfig;
import io.freshet.streaming.FreshetException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.BindException;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI of a session, served by an embedded Jetty: the page of its queries, a page per query with live charts,
 * the JSON API under {@code /api/v1} and {@code /metrics} in Prometheus text format. It listens on 127.0.0.1 at
 * port 4040 or the next free one (up to 4056; port 0 takes any free one), follows the session's setting
 * {@code ui.enabled} (false stops it, true starts it again) and stops when closed.
 */
public final class WebUi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 4040;
  /** How many ports after the first one are tried when it is taken. */
  private static final int TRIES = 16;

  private final FreshetSession session;
  private final String host;
  private final int port;
  private final Consumer<String> announce;
  private final Consumer<String> watcher = this::enabledChanged;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private Server server;
  private String url;

  private WebUi(FreshetSession session, String host, int port, Consumer<String> announce) {
    this.session = session;
    this.host = host;
    this.port = port;
    this.announce = announce;
    registry.register(new QueryMetrics(session.monitor()));
  }

  /**
   * The UI of {@code session} on {@code host}, at {@code port} or the next free one (0: any free one), started now
   * unless the session's {@code ui.enabled} is false; {@code announce} is told the address each time it starts.
   */
  public static WebUi start(FreshetSession session, String host, int port, Consumer<String> announce) {
    WebUi ui = new WebUi(session, host, port, announce);
    session.conf().watch(RuntimeConfig.UI_ENABLED, ui.watcher);
    ui.enabledChanged(session.conf().get(RuntimeConfig.UI_ENABLED));
    return ui;
  }

  /** The address, e.g. {@code http://127.0.0.1:4040/}, or null while stopped. */
  public synchronized String url() {
    return url;
  }

  private void enabledChanged(String value) {
    if (value == null || !value.equalsIgnoreCase("false")) {
      String started = listen();
      if (started != null) {
        announce.accept(started);
      }
    } else {
      stopServer();
    }
  }

  /** Starts listening unless it does already; returns the address when it started now, else null. */
  private synchronized String listen() {
    if (server != null) {
      return null;
    }
    int last = port == 0 ? 0 : port + TRIES;
    for (int p = port; p <= last; p++) {
      QueuedThreadPool threads = new QueuedThreadPool(8, 2);
      threads.setName("freshet-ui");
      threads.setDaemon(true);
      Server s = new Server(threads);
      ServerConnector connector = new ServerConnector(s, 1, 1);
      connector.setHost(host);
      connector.setPort(p);
      s.addConnector(connector);
      s.setHandler(new UiHandler(new QueriesJson(session.monitor()), registry));
      s.setStopTimeout(1000);
      try {
        s.start();
        server = s;
        url = "http://" + host + ":" + connector.getLocalPort() + "/";
        LOG.info("Web UI at {}", url);
        return url;
      } catch (Exception e) {
        stop(s);
        if (!(e instanceof BindException || e.getCause() instanceof BindException) || p == last) {
          throw FreshetException.user("Cannot serve the web UI on " + host + ":" + (port == 0 ? "any port"
              : port == last ? String.valueOf(port) : "ports " + port + " to " + last) + " (" + e.getMessage()
              + "); free a port, or SET 'ui.enabled' = 'false'", e);
        }
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private synchronized void stopServer() {
    if (server != null) {
      stop(server);
      LOG.info("Web UI at {} stopped", url);
      server = null;
      url = null;
    }
  }

  private static void stop(Server s) {
    try {
      s.stop();
    } catch (Exception e) {
      LOG.warn("Stopping the web UI: {}", e.toString());
    }
  }

  /** Stops serving and stops following the setting. */
  @Override
  public void close() {
    session.conf().unwatch(RuntimeConfig.UI_ENABLED, watcher);
    stopServer();
  }
}
