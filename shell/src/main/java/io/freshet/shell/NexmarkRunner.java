package io.freshet.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.sql.Dataset;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryListener;
import io.freshet.streaming.StreamingQueryProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/freshet bench nexmark}: runs Nexmark queries of {@code bench/nexmark/} over the generator, bounded to
 * a number of events, into a blackhole sink, and reports per query the events, wall seconds, events per second,
 * events per second per core used (the process's CPU time over the wall time), the peak heap and the largest state.
 * The generator runs inside the measured pipeline, as the published suites run theirs.
 */
final class NexmarkRunner {
  static final String USAGE = """
      Usage: freshet bench nexmark --query q5[,q7,...|all] [--events N] [--rate R] [--parallelism P]
                                   [--json FILE] [--compare FILE]
        --query        the queries of bench/nexmark/ to run (all: every one there)
        --events       events the generator makes for each query (default 10000000)
        --rate         event-time events per second (default 10000000: they span one second of event time)
        --parallelism  partitions the queries run in (default: one per core)
        --json         append a JSON line per query to FILE
        --compare      print each query's rows/s as a ratio to its run in FILE (JSON lines) with the same events,
                       rate and parallelism
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final PrintStream out;

  NexmarkRunner(Path home, PrintStream out) {
    this.home = home;
    this.out = out;
  }

  /** What one query's run measured. */
  record Result(String query, long events, long rowsRead, long rate, int parallelism, double wallSeconds,
      double cpuSeconds, long peakHeapBytes, long stateBytes) {
    /**
     * Input rows per second: the rows the query's sources read (a query of bids reads the bids, 92 % of the events,
     * whose generator skips the others).
     */
    double eventsPerSecond() {
      return rowsRead / wallSeconds;
    }

    /** Input rows per second of CPU time: per core actually used. */
    double eventsPerSecondPerCore() {
      return rowsRead / Math.max(cpuSeconds, 1e-9);
    }

    ObjectNode json() {
      ObjectNode o = JSON.createObjectNode();
      o.put("query", query).put("events", events).put("rowsRead", rowsRead).put("rate", rate).put("parallelism", parallelism)
          .put("wallSeconds", wallSeconds).put("cpuSeconds", cpuSeconds).put("eventsPerSecond", eventsPerSecond())
          .put("eventsPerSecondPerCore", eventsPerSecondPerCore()).put("peakHeapBytes", peakHeapBytes)
          .put("stateBytes", stateBytes);
      return o;
    }
  }

  int run(String[] args) throws IOException {
    String queries = null;
    long events = 10_000_000;
    long rate = 10_000_000;
    int parallelism = Runtime.getRuntime().availableProcessors();
    Path json = null;
    Path compare = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--query" -> queries = required(args[i], value);
        case "--events" -> events = positive(args[i], value);
        case "--rate" -> rate = positive(args[i], value);
        case "--parallelism" -> parallelism = (int) positive(args[i], value);
        case "--json" -> json = Path.of(required(args[i], value));
        case "--compare" -> compare = Path.of(required(args[i], value));
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
      i++;
    }
    if (queries == null) {
      throw new IllegalArgumentException("--query is needed: a query of " + directory() + " (" + available()
          + ") or all");
    }
    Map<String, Double> earlier = compare == null ? Map.of() : earlierRates(compare, events, rate, parallelism);
    List<String> names = queries.equals("all") ? available() : List.of(queries.split(","));
    out.printf(Locale.ROOT, "Nexmark: %d events a query, event-time rate %d/s, parallelism %d, blackhole sink%n",
        events, rate, parallelism);
    out.printf(Locale.ROOT, "%-6s %12s %9s %14s %16s %7s %10s %10s%s%n", "query", "rows in", "wall s", "rows/s",
        "rows/s/core", "cores", "heap MB", "state MB", compare == null ? "" : "  vs earlier");
    for (String name : names) {
      Result r = measure(name.trim(), events, rate, parallelism);
      Double before = earlier.get(r.query());
      out.printf(Locale.ROOT, "%-6s %12d %9.2f %14.0f %16.0f %7.2f %10.1f %10.1f%s%n", r.query(), r.rowsRead(),
          r.wallSeconds(), r.eventsPerSecond(), r.eventsPerSecondPerCore(), r.cpuSeconds() / r.wallSeconds(),
          r.peakHeapBytes() / 1e6, r.stateBytes() / 1e6, compare == null ? ""
              : before == null ? "  (no run of the same events, rate and parallelism in " + compare.getFileName() + ")"
              : String.format(Locale.ROOT, "  %.2fx", r.eventsPerSecond() / before));
      if (json != null) {
        Files.writeString(json, JSON.writeValueAsString(r.json()) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
    return 0;
  }

  private Path directory() {
    return home.resolve("bench").resolve("nexmark");
  }

  /** The queries there are, in their numbers' order. */
  private List<String> available() throws IOException {
    try (var files = Files.list(directory())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("q\\d+\\.sql"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted(java.util.Comparator.comparingInt(n -> Integer.parseInt(n.substring(1)))).toList();
    }
  }

  /** Runs query {@code name} once over {@code events} events into a blackhole, and what it took. */
  Result measure(String name, long events, long rate, int parallelism) throws IOException {
    Path file = directory().resolve(name + ".sql");
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("No query " + name + " in " + directory() + "; there are " + available());
    }
    String ddl = Files.readString(directory().resolve("ddl.sql")).replace("${events}", Long.toString(events))
        .replace("${rate}", Long.toString(rate)).replace("${batch}", "1000000")
        .replace("${base}", "2026-01-01 00:00:00");
    String query = Files.readString(file);
    try (FreshetSession session = FreshetSession.builder().master("local[" + parallelism + "]")
        .appName("nexmark-" + name).create()) {
      for (ScriptSplitter.Piece statement : ScriptSplitter.split(ddl)) {
        session.sql(statement.text());
      }
      // Planned before the clock starts: the figures are the run's, not the planner's.
      Dataset planned = session.sql(query);
      Figures figures = new Figures();
      session.streams().addListener(figures);
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      System.gc();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      StreamingQuery q = planned.writeStream().format("blackhole").queryName(name).start();
      q.awaitTermination();
      long wall = System.nanoTime() - start;
      long cpu = processCpuNanos() - cpuBefore;
      // The largest of the heap pools' peaks: the sum of the pools' peaks (each at its own moment) overstates it.
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).max().orElse(0);
      session.close();
      return new Result(name, events, figures.rowsRead(), rate, parallelism, wall / 1e9, cpu / 1e9, peak,
          figures.largestState());
    }
  }

  /** Every progress report of the run (recentProgress keeps only the last ones): rows read, largest state. */
  private static final class Figures extends StreamingQueryListener {
    private long rowsRead;
    private long largestState;

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public synchronized void onQueryProgress(QueryProgressEvent event) {
      StreamingQueryProgress p = event.progress();
      rowsRead += p.numInputRows();
      largestState = Math.max(largestState, p.stateOperators().stream()
          .mapToLong(StateOperatorProgress::memoryUsedBytes).sum());
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
    }

    synchronized long rowsRead() {
      return rowsRead;
    }

    synchronized long largestState() {
      return largestState;
    }
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new IllegalStateException("this JVM does not report its CPU time, which the runner divides events by");
  }

  /**
   * Each query's rows/s in a JSON lines file of an earlier run with the same events, rate and parallelism (the last
   * line of a query wins); runs measured otherwise are not compared.
   */
  private static Map<String, Double> earlierRates(Path file, long events, long rate, int parallelism)
      throws IOException {
    Map<String, Double> rates = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        JsonNode o = JSON.readTree(line);
        if (o.path("events").asLong() == events && o.path("rate").asLong() == rate
            && o.path("parallelism").asInt() == parallelism) {
          rates.put(o.path("query").asText(), o.path("eventsPerSecond").asDouble());
        }
      }
    }
    return rates;
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static long positive(String option, String value) {
    try {
      long n = Long.parseLong(required(option, value).replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(option + " takes a positive whole number, not '" + value + "'");
  }
}
