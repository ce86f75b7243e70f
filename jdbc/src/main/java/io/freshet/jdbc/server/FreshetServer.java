package io.freshet.jdbc.server;

import io.freshet.jdbc.Engine;
import io.freshet.jdbc.FreshetMeta;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code bin/freshet server}: one Freshet engine served to JDBC clients ({@code jdbc:freshet:remote:url=...})
 * through Avatica's HTTP server, speaking Avatica's JSON protocol. All clients share the engine: its streams,
 * tables, views, settings and running queries (a query one client starts, another sees in SHOW QUERIES and may
 * stop). It listens on 127.0.0.1:8765 unless told otherwise; on any address that is not a loopback one it requires
 * HTTP BASIC authentication against a users file, and refuses to start without one.
 */
public final class FreshetServer implements AutoCloseable {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8765;
  /** Any user the users file lets in (Jetty's role for every authenticated user). */
  private static final String ANY_USER = "**";

  static final String USAGE = """
      Usage: freshet server [--host H] [--port P] [--users FILE] [--checkpoint-location DIR] [--parallelism N]
                            [--memory-limit SIZE] [--no-nexmark] [--verbose]
        --host H        the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
        --port P        the port (default 8765; 0 for any free one)
        --users FILE    require HTTP BASIC authentication: FILE holds one 'name: password' line per user
                        (required on any address that is not a loopback one)
        --checkpoint-location DIR, --parallelism N, --memory-limit SIZE (e.g. 2g)
                        the engine's settings, as the jdbc:freshet: connection properties of the same names
        --no-nexmark    do not declare the built-in Nexmark streams
      Clients connect with jdbc:freshet:remote:url=http://H:P (and the properties user and password).
      """;

  private final HttpServer http;
  private final FreshetMeta meta;
  private final String host;

  private FreshetServer(HttpServer http, FreshetMeta meta, String host) {
    this.http = http;
    this.meta = meta;
    this.host = host;
  }

  /** What to serve, and where. */
  public record Options(String host, int port, Path users, Map<String, String> engine) {
  }

  /**
   * Starts serving. Throws a {@link FreshetException} that says what to do when the address needs authentication
   * and no users file is given, or the users file cannot be used.
   */
  public static FreshetServer start(Options options) {
    boolean loopback = isLoopback(options.host());
    if (!loopback && options.users() == null) {
      throw FreshetException.user("freshet server: " + options.host() + " is not a loopback address, so clients "
          + "must log in: give --users FILE, a file of 'name: password' lines (see README, JDBC), or listen on "
          + "127.0.0.1");
    }
    if (options.users() != null) {
      checkUsers(options.users());
    }
    Engine engine = Engine.create(options.engine());
    FreshetMeta meta = new FreshetMeta(engine);
    String host = options.host();
    ServerCustomizer<Server> bind = server -> {
      for (Connector c : server.getConnectors()) {
        if (c instanceof ServerConnector connector) {
          connector.setHost(host);
        }
      }
    };
    HttpServer.Builder<Server> builder = HttpServer.Builder.<Server>newBuilder()
        .withHandler(new LocalService(meta), Driver.Serialization.JSON)
        .withPort(options.port())
        .withServerCustomizers(List.of(bind), Server.class);
    if (options.users() != null) {
      builder.withBasicAuthentication(options.users().toAbsolutePath().toString(), new String[] {ANY_USER});
    }
    HttpServer http = builder.build();
    try {
      http.start();
    } catch (RuntimeException e) {
      meta.shutdown();
      engine.session().close();
      throw FreshetException.user("freshet server: cannot listen on " + host + ":" + options.port() + ": "
          + rootMessage(e) + "; choose another --port or --host", e);
    }
    return new FreshetServer(http, meta, host);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  private static boolean isLoopback(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw FreshetException.user("freshet server: unknown host '" + host + "'; give an address such as 127.0.0.1 "
          + "or 0.0.0.0", e);
    }
  }

  /** A users file must exist and name at least one user, each line {@code name: password}. */
  private static void checkUsers(Path users) {
    List<String> lines;
    try {
      lines = Files.readAllLines(users, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw FreshetException.user("freshet server: cannot read the users file " + users + " (" + e.getMessage()
          + "); it holds one 'name: password' line per user", e);
    }
    int n = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.substring(colon + 1).split(",")[0].isBlank()) {
        throw FreshetException.user("freshet server: line " + (i + 1) + " of the users file " + users + " is not "
            + "'name: password'");
      }
      n++;
    }
    if (n == 0) {
      throw FreshetException.user("freshet server: the users file " + users + " names no user; add a line "
          + "'name: password'");
    }
  }

  public int port() {
    return http.getPort();
  }

  /** The URL clients connect with. */
  public String jdbcUrl() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:freshet:remote:url=http://" + shown + ":" + port();
  }

  /** Stops serving, then stops every query and the engine. */
  @Override
  public void close() {
    try {
      http.stop();
    } finally {
      meta.shutdown();
      meta.session().close();
    }
  }

  /**
   * Runs {@code freshet server ARGS}: serves until the process is stopped (Ctrl-C or SIGTERM, which stop the
   * queries after their batch in flight). Returns the exit code: 2 for bad arguments, 1 when it cannot start.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, session -> null);
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream)}, with {@code attach} called on the engine's session once it
   * serves (the shell starts the web UI there); what it returns, when not null, is closed before the engine.
   */
  public static int run(String[] args, PrintStream out, PrintStream err,
      java.util.function.Function<io.freshet.sql.FreshetSession, AutoCloseable> attach) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("freshet server: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (options == null) {
      out.print(USAGE);
      return 0;
    }
    FreshetServer server;
    try {
      server = start(options);
    } catch (FreshetException e) {
      err.println(e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    out.println("Freshet server: serving " + server.jdbcUrl() + (options.users() != null
        ? " (HTTP BASIC, users in " + options.users() + ")" : "") + "; Ctrl-C stops it");
    out.flush();
    AutoCloseable attached = attach.apply(server.meta.session());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (attached != null) {
          attached.close();
        }
      } catch (Exception e) {
        err.println("freshet server: " + e.getMessage());
      } finally {
        server.close();
        stopped.countDown();
      }
    }, "freshet-server-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The options of {@code freshet server}, or null for --help. */
  static Options parse(String[] args) {
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    Path users = null;
    Map<String, String> engine = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> host = value(args, ++i, "--host");
        case "--port" -> {
          String p = value(args, ++i, "--port");
          try {
            port = Integer.parseInt(p);
          } catch (NumberFormatException e) {
            port = -1;
          }
          if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port takes a port from 0 to 65535, not '" + p + "'");
          }
        }
        case "--users" -> users = Path.of(value(args, ++i, "--users"));
        case "--checkpoint-location" -> engine.put(Engine.CHECKPOINT_LOCATION, value(args, ++i, args[i - 1]));
        case "--parallelism" -> engine.put(Engine.PARALLELISM, value(args, ++i, args[i - 1]));
        case "--memory-limit" -> engine.put(Engine.MEMORY_LIMIT, value(args, ++i, args[i - 1]));
        case "--no-nexmark" -> engine.put(Engine.NEXMARK, "false");
        case "-h", "--help" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    return new Options(host, port, users, engine);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
