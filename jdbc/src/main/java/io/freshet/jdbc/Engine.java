package io.freshet.jdbc;

import io.freshet.sql.BuiltInStreams;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.RuntimeConfig;
import io.freshet.streaming.FreshetException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Freshet engine (a {@link FreshetSession}) that JDBC connections share: its catalog, settings and running
 * queries. In process, connections with the same engine properties share one engine, which stops (its queries
 * with it) when the last of them closes; the server has one engine for all its clients.
 */
public final class Engine {
  /** Where persistent queries keep their checkpoints: SET 'checkpoint-location' for every connection. */
  public static final String CHECKPOINT_LOCATION = RuntimeConfig.CHECKPOINT_LOCATION;
  /** How many partitions queries run in (default: one per core). */
  public static final String PARALLELISM = RuntimeConfig.PARALLELISM;
  /** The most Arrow memory all queries together hold: bytes, or with k, m or g. */
  public static final String MEMORY_LIMIT = "memory-limit";
  /** Whether the built-in Nexmark streams are declared (default true). */
  public static final String NEXMARK = "nexmark";

  private static final Map<String, Engine> SHARED = new HashMap<>();

  private final FreshetSession session;
  private final String key;
  private int users;

  private Engine(FreshetSession session, String key) {
    this.session = session;
    this.key = key;
  }

  public FreshetSession session() {
    return session;
  }

  /** A new engine of its own, configured by {@code properties} (the server's). */
  public static Engine create(Map<String, String> properties) {
    return new Engine(open(properties), null);
  }

  /** The in-process engine for these connection properties, shared with other connections that give the same. */
  static synchronized Engine acquire(Properties info) {
    Map<String, String> properties = engineProperties(info);
    String key = properties.toString();
    Engine engine = SHARED.get(key);
    if (engine == null) {
      engine = new Engine(open(properties), key);
      SHARED.put(key, engine);
    }
    engine.users++;
    return engine;
  }

  /** Gives back an engine {@link #acquire}d; the last user's release closes it. */
  void release() {
    synchronized (Engine.class) {
      if (key == null || --users > 0) {
        return;
      }
      SHARED.remove(key);
    }
    session.close();
  }

  /** The properties that choose an engine, by their lower-case names. */
  private static Map<String, String> engineProperties(Properties info) {
    Map<String, String> properties = new TreeMap<>();
    for (String name : info.stringPropertyNames()) {
      String key = name.toLowerCase(Locale.ROOT);
      if (key.equals(CHECKPOINT_LOCATION) || key.equals(PARALLELISM) || key.equals(MEMORY_LIMIT)
          || key.equals(NEXMARK)) {
        properties.put(key, info.getProperty(name).trim());
      }
    }
    return properties;
  }

  private static FreshetSession open(Map<String, String> properties) {
    FreshetSession.Builder builder = FreshetSession.builder().appName("freshet-jdbc");
    String limit = properties.get(MEMORY_LIMIT);
    if (limit != null) {
      builder.memoryLimit(bytes(limit));
    }
    FreshetSession session = builder.create();
    try {
      if (properties.get(PARALLELISM) != null) {
        session.conf().set(RuntimeConfig.PARALLELISM, properties.get(PARALLELISM));
      }
      if (properties.get(CHECKPOINT_LOCATION) != null) {
        session.conf().set(RuntimeConfig.CHECKPOINT_LOCATION, properties.get(CHECKPOINT_LOCATION));
      }
      String nexmark = properties.getOrDefault(NEXMARK, "true");
      if (!nexmark.equalsIgnoreCase("true") && !nexmark.equalsIgnoreCase("false")) {
        throw FreshetException.user("Connection property 'nexmark' is true or false, not '" + nexmark + "'");
      }
      if (Boolean.parseBoolean(nexmark)) {
        BuiltInStreams.registerNexmark(session);
      }
      return session;
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** {@code 512m}, {@code 2g}, {@code 1048576}: a number of bytes, or an error that says what is valid. */
  static long bytes(String value) {
    Matcher m = Pattern.compile("(\\d{1,15})\\s*([kmg]?)b?").matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches() && Long.parseLong(m.group(1)) > 0) {
      long n = Long.parseLong(m.group(1));
      int shift = switch (m.group(2)) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        default -> 0;
      };
      if (n <= Long.MAX_VALUE >> shift) {
        return n << shift;
      }
    }
    throw FreshetException.user("Connection property 'memory-limit' is a number of bytes such as 536870912, 512m or "
        + "2g, not '" + value + "'");
  }
}
