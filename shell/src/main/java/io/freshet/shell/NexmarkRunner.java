package io.freshet.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryProgress;
import io.freshet.streaming.Trigger;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
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
      Usage: freshet bench nexmark --query q5[,q7,...|all] [--events N] [--rate R] [--parallelism P] [--warmup N]
                                   [--latency [--trigger T]] [--json FILE] [--compare FILE] [--chart FILE.png]
             freshet bench nexmark --chart FILE.png --from FILE
        --query        the queries of bench/nexmark/ to run (all: every one there)
        --events       events the generator makes for each query (default 10000000; with --latency, 30 s of them)
        --rate         event-time events per second (default 10000000: they span one second of event time; with
                       --latency 100000, released in wall-clock time)
        --parallelism  partitions the queries run in (default: one per core)
        --warmup       events to run each query over first, unmeasured (default 0); with --latency, the events
                       at the start left out of the figures (default 5 s of them)
        --latency      latency mode: each event's time from its release by the generator to the commit of the
                       micro-batch that took it in, as percentiles
        --trigger      with --latency, the queries' trigger, as the 'trigger' setting takes it (default: next
                       batch as soon as the last one finishes; continuous: asynchronous checkpoints)
        --json         append a JSON line per query to FILE
        --compare      print each query's rows/s as a ratio to its run in FILE (JSON lines) with the same events,
                       rate and parallelism
        --chart        draw events/s per core per query beside the published figures (bench/nexmark/published.csv)
                       as a PNG: of this run's queries, or of the runs in the JSON lines file --from names
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NexmarkQueries queries;
  private final PrintStream out;

  NexmarkRunner(Path home, PrintStream out) {
    this.queries = new NexmarkQueries(home);
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
      o.put("query", query).put("events", events).put("rowsRead", rowsRead).put("rate", rate)
          .put("parallelism", parallelism).put("wallSeconds", wallSeconds).put("cpuSeconds", cpuSeconds)
          .put("eventsPerSecond", eventsPerSecond()).put("eventsPerSecondPerCore", eventsPerSecondPerCore())
          .put("peakHeapBytes", peakHeapBytes).put("stateBytes", stateBytes);
      return o;
    }
  }

  int run(String[] args) throws IOException {
    String names = null;
    Long events = null;
    Long rate = null;
    Long warmup = null;
    boolean latency = false;
    Trigger trigger = null;
    int parallelism = Runtime.getRuntime().availableProcessors();
    Path json = null;
    Path compare = null;
    Path chart = null;
    Path from = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--latency")) {
        latency = true;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--query" -> names = required(args[i], value);
        case "--events" -> events = positive(args[i], value);
        case "--rate" -> rate = positive(args[i], value);
        case "--parallelism" -> parallelism = (int) Math.min(positive(args[i], value), 1024);
        case "--warmup" -> warmup = nonNegative(args[i], value);
        case "--json" -> json = Path.of(required(args[i], value));
        case "--compare" -> compare = Path.of(required(args[i], value));
        case "--chart" -> chart = png(required(args[i], value));
        case "--from" -> from = Path.of(required(args[i], value));
        case "--trigger" -> trigger = Trigger.parse(required(args[i], value));
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
      i++;
    }
    if (from != null) {
      if (names != null || chart == null) {
        throw new IllegalArgumentException("--from draws the chart of earlier runs: give --chart FILE.png and no "
            + "--query");
      }
      drawFrom(from, chart);
      return 0;
    }
    if (names == null) {
      throw new IllegalArgumentException("--query is needed: a query of " + queries.directory() + " ("
          + queries.available() + ") or all");
    }
    List<String> list = names.equals("all") ? queries.available()
        : java.util.Arrays.stream(names.split(",")).map(String::trim).toList();
    if (trigger != null && !latency) {
      throw new IllegalArgumentException("--trigger is for --latency runs");
    }
    if (latency) {
      if (compare != null || chart != null) {
        throw new IllegalArgumentException("--compare and --chart take throughput runs, not --latency ones");
      }
      long r = rate == null ? 100_000 : rate;
      long n = events == null ? 30 * r : events;
      long w = warmup == null ? Math.min(n / 2, 5 * r) : warmup;
      if (w >= n) {
        throw new IllegalArgumentException("--warmup " + w + " leaves none of the " + n + " events to measure; give "
            + "fewer warm-up events or more --events");
      }
      runLatency(list, n, r, parallelism, w, trigger, json);
    } else {
      Map<String, Double> perCore = runThroughput(list, events == null ? 10_000_000 : events,
          rate == null ? 10_000_000 : rate, parallelism, warmup == null ? 0 : warmup, json, compare);
      if (chart != null) {
        NexmarkChart.draw(perCore, published(), method(String.format(Locale.ROOT, "%,d",
            events == null ? 10_000_000 : events), parallelism), chart);
        out.println("Chart: " + chart);
      }
    }
    return 0;
  }

  private Map<String, Double> runThroughput(List<String> names, long events, long rate, int parallelism,
      long warmup, Path json, Path compare) throws IOException {
    Map<String, Double> earlier = compare == null ? Map.of() : earlierRates(compare, events, rate, parallelism);
    out.printf(Locale.ROOT, "Nexmark: %d events a query, event-time rate %d/s, parallelism %d, blackhole sink%s%n",
        events, rate, parallelism, warmup > 0 ? ", after a warm-up run of " + warmup + " events" : "");
    out.printf(Locale.ROOT, "%-6s %12s %9s %14s %16s %7s %10s %10s%s%n", "query", "rows in", "wall s", "rows/s",
        "rows/s/core", "cores", "heap MB", "state MB", compare == null ? "" : "  vs earlier");
    Map<String, Double> perCore = new LinkedHashMap<>();
    for (String name : names) {
      if (warmup > 0) {
        measure(name, warmup, rate, parallelism);
      }
      Result r = measure(name, events, rate, parallelism);
      perCore.put(r.query(), r.eventsPerSecondPerCore());
      Double before = earlier.get(r.query());
      out.printf(Locale.ROOT, "%-6s %12d %9.2f %14.0f %16.0f %7.2f %10.1f %10.1f%s%n", r.query(), r.rowsRead(),
          r.wallSeconds(), r.eventsPerSecond(), r.eventsPerSecondPerCore(), r.cpuSeconds() / r.wallSeconds(),
          r.peakHeapBytes() / 1e6, r.stateBytes() / 1e6, compare == null ? ""
              : before == null ? "  (no run of the same events, rate and parallelism in " + compare.getFileName() + ")"
              : String.format(Locale.ROOT, "  %.2fx", r.eventsPerSecond() / before));
      append(json, r.json());
    }
    return perCore;
  }

  private void runLatency(List<String> names, long events, long rate, int parallelism, long warmup, Trigger trigger,
      Path json) throws IOException {
    out.printf(Locale.ROOT, "Nexmark latency: %d events a query released at %d/s in wall-clock time (the first %d "
        + "not counted), parallelism %d, checkpoint every batch%s, blackhole sink%n", events, rate, warmup,
        parallelism, trigger instanceof Trigger.Continuous ? " (asynchronous, continuous trigger)"
            : trigger == null ? "" : ", trigger " + trigger);
    out.printf(Locale.ROOT, "%-6s %10s %8s %9s %9s %9s %9s %9s %7s%n", "query", "measured", "batches", "p50 ms",
        "p90 ms", "p99 ms", "p99.9 ms", "max ms", "cores");
    NexmarkLatency latency = new NexmarkLatency(queries);
    for (String name : names) {
      NexmarkLatency.Result r = latency.measure(name, events, rate, parallelism, warmup, trigger);
      out.printf(Locale.ROOT, "%-6s %10d %8d %9.2f %9.2f %9.2f %9.2f %9.2f %7.2f%n", r.query(),
          r.latencies().getTotalCount(), r.batches(), r.percentileMs(50), r.percentileMs(90), r.percentileMs(99),
          r.percentileMs(99.9), r.latencies().getMaxValue() / 1000.0, r.cpuSeconds() / r.wallSeconds());
      // Where a batch's time goes (progress durationMs, whole milliseconds each, so short parts count as 0 or 1).
      out.println("       mean ms a batch: " + r.meanDurationsMs().entrySet().stream()
          .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
          .collect(java.util.stream.Collectors.joining(", ")));
      append(json, r.json());
    }
  }

  private static String method(String events, int parallelism) {
    return String.format(Locale.ROOT, "Freshet: %s events a query, parallelism %d on %d cores", events, parallelism,
        Runtime.getRuntime().availableProcessors());
  }

  private Path published() {
    return queries.directory().resolve("published.csv");
  }

  /** The chart of the throughput runs in a JSON lines file (the last line of a query wins). */
  private void drawFrom(Path from, Path chart) throws IOException {
    Map<String, JsonNode> runs = new LinkedHashMap<>();
    for (String line : Files.readAllLines(from)) {
      if (!line.isBlank()) {
        JsonNode o = JSON.readTree(line);
        if (o.has("eventsPerSecondPerCore")) {
          runs.remove(o.path("query").asText());
          runs.put(o.path("query").asText(), o);
        }
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(from + " holds no throughput run (JSON lines written with --json)");
    }
    // In the queries' order, whatever order the runs came in.
    Map<String, Double> perCore = new LinkedHashMap<>();
    runs.keySet().stream().sorted(java.util.Comparator.comparingInt(NexmarkRunner::number))
        .forEach(q -> perCore.put(q, runs.get(q).path("eventsPerSecondPerCore").asDouble()));
    LongSummaryStatistics events = runs.values().stream().mapToLong(o -> o.path("events").asLong())
        .summaryStatistics();
    String counts = events.getMin() == events.getMax() ? String.format(Locale.ROOT, "%,d", events.getMax())
        : String.format(Locale.ROOT, "%,d to %,d", events.getMin(), events.getMax());
    NexmarkChart.draw(perCore, published(), method(counts, runs.values().iterator().next().path("parallelism")
        .asInt()), chart);
    out.println("Chart: " + chart);
  }

  private static int number(String query) {
    return query.matches("q\\d+") ? Integer.parseInt(query.substring(1)) : Integer.MAX_VALUE;
  }

  private static void append(Path json, ObjectNode line) throws IOException {
    if (json != null) {
      Files.writeString(json, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /** Runs query {@code name} once over {@code events} events into a blackhole, and what it took. */
  Result measure(String name, long events, long rate, int parallelism) throws IOException {
    try (NexmarkQueries.Planned planned = queries.plan(name, Map.of("events", Long.toString(events),
        "rate", Long.toString(rate), "batch", "1000000", "base", "2026-01-01 00:00:00", "realtime", "false"),
        parallelism)) {
      // Planned before the clock starts: the figures are the run's, not the planner's.
      Figures figures = new Figures();
      planned.session().streams().addListener(figures);
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      System.gc();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      StreamingQuery q = planned.query().writeStream().format("blackhole").queryName(name).start();
      q.awaitTermination();
      long wall = System.nanoTime() - start;
      long cpu = processCpuNanos() - cpuBefore;
      // The listener bus delivers on a thread of its own: every progress report is in once the end is.
      figures.awaitTerminated();
      // The largest of the heap pools' peaks: the sum of the pools' peaks (each at its own moment) overstates it.
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).max().orElse(0);
      return new Result(name, events, figures.rowsRead(), rate, parallelism, wall / 1e9, cpu / 1e9, peak,
          figures.largestState());
    }
  }

  /** Every progress report of the run (recentProgress keeps only the last ones): rows read, largest state. */
  private static final class Figures extends RunListener {
    private long rowsRead;
    private long largestState;

    @Override
    public synchronized void onQueryProgress(QueryProgressEvent event) {
      StreamingQueryProgress p = event.progress();
      rowsRead += p.numInputRows();
      largestState = Math.max(largestState, p.stateOperators().stream()
          .mapToLong(StateOperatorProgress::memoryUsedBytes).sum());
    }

    synchronized long rowsRead() {
      return rowsRead;
    }

    synchronized long largestState() {
      return largestState;
    }
  }

  static long processCpuNanos() {
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
        if (!o.has("mode") && o.path("events").asLong() == events && o.path("rate").asLong() == rate
            && o.path("parallelism").asInt() == parallelism) {
          rates.put(o.path("query").asText(), o.path("eventsPerSecond").asDouble());
        }
      }
    }
    return rates;
  }

  /** The chart's file: a PNG, named so (XChart adds .png to a name without it). */
  private static Path png(String name) {
    return Path.of(name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name : name + ".png");
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static long nonNegative(String option, String value) {
    return value != null && value.trim().equals("0") ? 0 : positive(option, value);
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
