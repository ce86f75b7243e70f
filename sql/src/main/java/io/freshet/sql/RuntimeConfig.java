package io.freshet.sql;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The session's settings, changed by {@code SET 'key' = 'value'} or {@code conf().set(...)}. */
public final class RuntimeConfig {
  /** Root directory of persistent queries' checkpoints; each query keeps its own under its sink's name. */
  public static final String CHECKPOINT_LOCATION = "checkpoint-location";
  /** Whether INSERT INTO waits for a bounded query to finish before the next statement (default true). */
  public static final String DML_SYNC = "dml-sync";
  /**
   * The output mode of queries that do not choose one: append, update or complete. Unset, each query takes append
   * where its rows never change, otherwise update.
   */
  public static final String OUTPUT_MODE = "output-mode";
  /** A memory table that receives the rows a query drops as late (older than the watermark). */
  public static final String LATE_ROWS_TABLE = "late-rows-table";
  /**
   * The trigger of queries that do not choose one: 'available-now', 'once', 'continuous' or a processing-time
   * interval.
   */
  public static final String TRIGGER = "trigger";
  /** Where queries started from now on keep unbounded aggregations' state: memory or rocksdb. */
  public static final String STATE_STORE = "state-store";
  /**
   * How many partitions queries started from now on run in, each on a thread of its own (unset: the session's
   * {@code master("local[N]")}).
   */
  public static final String PARALLELISM = "parallelism";

  /**
   * Whether queries planned from now on show each result row's kind (+I, -U, +U, -D) in a first column {@code op},
   * as Flink's SQL client does in its changelog result mode (default false).
   */
  public static final String CHANGELOG_MODE = "changelog-mode";

  /**
   * When a stream–static join of a query started from now on reads its table again: {@code never} (only when the
   * query starts, the default), {@code on-change} (before a batch, when the table's files changed) or
   * {@code every N batches}.
   */
  public static final String STATIC_RELOAD = "static-join.reload";

  /**
   * How long, in event time, a join of two streams without a time bound keeps a row (e.g. {@code 1 hour}); unset,
   * it keeps every row. Read when a query is planned.
   */
  public static final String STATE_TTL = "state.ttl";

  /**
   * How the interactive shell shows a streaming SELECT's rows, as Flink's SQL client's result modes: {@code table}
   * (the default: a table that changes in place as an update or complete mode result changes), {@code changelog}
   * (one row per change with its kind, +I, -U, +U or -D) or {@code tableau} (rows scroll as they come). Scripts
   * always print rows as they come.
   */
  public static final String RESULT_MODE = "result-mode";
  /** The values of {@link #RESULT_MODE}. */
  public static final List<String> RESULT_MODES = List.of("table", "changelog", "tableau");

  /**
   * Whether the web UI and {@code /metrics} of the shell or server are served (default true); setting it to false
   * stops the UI's HTTP server, true starts it again.
   */
  public static final String UI_ENABLED = "ui.enabled";

  /**
   * While a query finds no new data, how often it reports an idle progress to listeners and {@code
   * recentProgress()} (the first idle trigger of a run always does): Spark's {@code
   * spark.sql.streaming.noDataProgressEventInterval}, 10 seconds by default. Read when a query starts.
   */
  public static final String IDLE_PROGRESS_INTERVAL = "progress.idle-interval";

  private static final List<String> KNOWN = List.of(CHANGELOG_MODE, CHECKPOINT_LOCATION, DML_SYNC, LATE_ROWS_TABLE,
      OUTPUT_MODE, PARALLELISM, IDLE_PROGRESS_INTERVAL, RESULT_MODE, STATE_STORE, STATE_TTL, STATIC_RELOAD, TRIGGER,
      UI_ENABLED);
  private static final List<String> BOOLEANS = List.of(CHANGELOG_MODE, DML_SYNC, UI_ENABLED);
  private static final Map<String, String> DEFAULTS = Map.of(DML_SYNC, "true", TRIGGER, "processing-time 0",
      STATE_STORE, "memory", CHANGELOG_MODE, "false", RESULT_MODE, "table", UI_ENABLED, "true");

  private final Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  /** What to call when a setting changes, by key (case-insensitive). */
  private final Map<String, List<java.util.function.Consumer<String>>> watchers =
      new java.util.concurrent.ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);

  /**
   * Calls {@code action} with the new value (or the default, or null) each time {@code key} is set, unset or reset,
   * on the thread that changed it, after the change.
   */
  public void watch(String key, java.util.function.Consumer<String> action) {
    watchers.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(action);
  }

  /** Stops calling an action given to {@link #watch}. */
  public void unwatch(String key, java.util.function.Consumer<String> action) {
    List<java.util.function.Consumer<String>> list = watchers.get(key);
    if (list != null) {
      list.remove(action);
    }
  }

  private void changed(String key) {
    List<java.util.function.Consumer<String>> list = watchers.get(key);
    if (list != null) {
      String value = get(key);
      list.forEach(a -> a.accept(value));
    }
  }

  public void set(String key, String value) {
    setValue(key, value);
    changed(key);
  }

  private synchronized void setValue(String key, String value) {
    if (KNOWN.stream().noneMatch(k -> k.equalsIgnoreCase(key))) {
      throw FreshetException.user("Unknown setting '" + key + "'" + Spelling.didYouMean(key, KNOWN)
          + "; settings are: " + String.join(", ", KNOWN));
    }
    if (key.equalsIgnoreCase(CHECKPOINT_LOCATION) && value.isBlank()) {
      throw FreshetException.user("Setting 'checkpoint-location' needs a directory, not an empty value; RESET "
          + "'checkpoint-location' goes back to a temporary checkpoint per query");
    } else if (key.equalsIgnoreCase(OUTPUT_MODE)) {
      io.freshet.streaming.OutputMode.parse(value);
    } else if (key.equalsIgnoreCase(TRIGGER)) {
      io.freshet.streaming.Trigger.parse(value);
    } else if (key.equalsIgnoreCase(STATE_STORE)) {
      io.freshet.exec.state.StateBackend.named(value);
    } else if (key.equalsIgnoreCase(PARALLELISM)) {
      parallelism(value);
    } else if (key.equalsIgnoreCase(STATIC_RELOAD)) {
      reloadEvery(value);
    } else if (key.equalsIgnoreCase(STATE_TTL) || key.equalsIgnoreCase(IDLE_PROGRESS_INTERVAL)) {
      durationMs(key.toLowerCase(java.util.Locale.ROOT), value);
    } else if (key.equalsIgnoreCase(RESULT_MODE)) {
      if (RESULT_MODES.stream().noneMatch(value.trim()::equalsIgnoreCase)) {
        throw FreshetException.user("Setting 'result-mode' is " + String.join(", ", RESULT_MODES) + ", not '" + value
            + "'" + Spelling.didYouMean(value.trim(), RESULT_MODES));
      }
      value = value.trim().toLowerCase(java.util.Locale.ROOT);
    } else if (BOOLEANS.stream().anyMatch(key::equalsIgnoreCase) && !value.equalsIgnoreCase("true")
        && !value.equalsIgnoreCase("false")) {
      throw FreshetException.user("Setting '" + key.toLowerCase(java.util.Locale.ROOT) + "' is true or false, not '"
          + value + "'");
    }
    values.put(key, value);
  }

  /**
   * How often a setting of {@code static-join.reload} reads the table again: 0 never (or on change), N every N
   * batches; an error that says what is valid for anything else.
   */
  static long reloadEvery(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("never") || v.equals("on-change")) {
      return 0;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("every\\s+(\\d{1,9})\\s+batch(es)?").matcher(v);
    if (m.matches() && Long.parseLong(m.group(1)) > 0) {
      return Long.parseLong(m.group(1));
    }
    throw FreshetException.user("Setting 'static-join.reload' is 'never', 'on-change' or 'every N batches' (N at "
        + "least 1), not '" + value + "'");
  }

  /** The milliseconds of a duration such as {@code 1 hour}, {@code 30 s} or {@code 500 ms}, or an error. */
  static long durationMs(String value) {
    return durationMs(STATE_TTL, value);
  }

  /** As above, the error naming setting {@code key}. */
  static long durationMs(String key, String value) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "\\s*(\\d{1,12})\\s*(ms|milliseconds?|s|seconds?|min|minutes?|h|hours?|d|days?)\\s*")
        .matcher(value.toLowerCase(java.util.Locale.ROOT));
    if (m.matches() && Long.parseLong(m.group(1)) > 0) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2);
      long scale = unit.startsWith("ms") || unit.startsWith("milli") ? 1 : unit.startsWith("s") ? 1_000
          : unit.startsWith("min") ? 60_000 : unit.startsWith("h") ? 3_600_000 : 86_400_000;
      if (n <= 36_500L * 86_400_000 / scale) {
        return n * scale;
      }
    }
    throw FreshetException.user("Setting '" + key + "' is a positive duration of at most 36500 days such as '1 hour', '10 minutes', "
        + "'30 s' or '500 ms', not '" + value + "'");
  }

  /** A valid number of partitions, or an error that says what is. */
  static int parallelism(String value) {
    int max = io.freshet.exec.aggregate.KeyGroups.COUNT;
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw FreshetException.user("Setting 'parallelism' is a number of partitions from 1 to " + max + ", not '"
        + value + "'");
  }

  public void unset(String key) {
    synchronized (this) {
      values.remove(key);
    }
    changed(key);
  }

  public void reset() {
    synchronized (this) {
      values.clear();
    }
    watchers.keySet().forEach(this::changed);
  }

  /** The value, or the default, or null. */
  public synchronized String get(String key) {
    String v = values.get(key);
    return v != null ? v : DEFAULTS.get(key);
  }

  public synchronized Map<String, String> all() {
    Map<String, String> all = new TreeMap<>(DEFAULTS);
    all.putAll(values);
    return all;
  }
}
