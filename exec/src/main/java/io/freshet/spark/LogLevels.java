package io.freshet.spark;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's {@code setLogLevel}: the level of every logger, those that exist and those to come. Freshet logs through
 * SLF4J with slf4j-simple (in freshet.jar), which fixes levels when a logger is made and has no API to change
 * them, so its loggers' level fields are set directly; with another SLF4J binding the level is left to its own
 * configuration, and a warning says so.
 */
final class LogLevels {
  private static final Logger LOG = LoggerFactory.getLogger(LogLevels.class);
  /** Spark's (log4j's) level names. */
  private static final List<String> LEVELS = List.of("ALL", "DEBUG", "ERROR", "FATAL", "INFO", "OFF", "TRACE", "WARN");
  private static final String SIMPLE = "org.slf4j.simple.";

  private LogLevels() {
  }

  static void set(String level) {
    String name = level == null ? "" : level.toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(name)) {
      throw new IllegalArgumentException("requirement failed: Supplied level " + level + " did not match one of: "
          + String.join(",", LEVELS));
    }
    // slf4j-simple's numbers: TRACE 0, DEBUG 10, INFO 20, WARN 30, ERROR 40, OFF 50.
    int value = switch (name) {
      case "ALL", "TRACE" -> 0;
      case "DEBUG" -> 10;
      case "INFO" -> 20;
      case "WARN" -> 30;
      case "ERROR", "FATAL" -> 40;
      default -> 50;
    };
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!factory.getClass().getName().equals(SIMPLE + "SimpleLoggerFactory")) {
      LOG.warn("setLogLevel({}): the SLF4J binding {} keeps its own configured levels", level,
          factory.getClass().getName());
      return;
    }
    try {
      Class<?> simple = Class.forName(SIMPLE + "SimpleLogger");
      Object config = field(simple, "CONFIG_PARAMS").get(null);
      field(config.getClass(), "defaultLogLevel").setInt(config, value);
      Field current = field(simple, "currentLogLevel");
      for (Object logger : ((Map<?, ?>) field(factory.getClass(), "loggerMap").get(factory)).values()) {
        if (simple.isInstance(logger)) {
          current.setInt(logger, value);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("setLogLevel({}) could not change slf4j-simple's levels: {}", level, e.toString());
    }
  }

  private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
