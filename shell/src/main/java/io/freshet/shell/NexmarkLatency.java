package io.freshet.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.streaming.SourceProgress;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryProgress;
import io.freshet.streaming.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The runner's latency mode: the generator releases its events in wall-clock time at the given rate (event
 * {@code n} once the clock passes its event time, {@code base + n / rate}), the query runs with a checkpoint in
 * a temporary directory, and each event's latency is the time from its release to the commit of the micro-batch
 * that took it in (its effect written to the sink and the checkpoint; under the continuous trigger, to the sink, the
 * checkpoint following in the background), read from the progress reports: the
 * batch's event range from its sources' offsets, its end from its start and {@code triggerExecution} time.
 * Events released during the warm-up are not counted.
 */
final class NexmarkLatency {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The first event's time is this far after planning begins, so that the query has usually started when events
   * come due (one base for all three streams: they are generated together); a slower start is a backlog the
   * warm-up leaves out of the figures.
   */
  private static final long START_DELAY_MS = 2000;

  private final NexmarkQueries queries;

  NexmarkLatency(NexmarkQueries queries) {
    this.queries = queries;
  }

  /** What one query's latency run measured; latencies in microseconds. */
  record Result(String query, long events, long rate, int parallelism, long warmupEvents, Histogram latencies,
      long batches, double wallSeconds, double cpuSeconds, Map<String, Double> meanDurationsMs) {
    double percentileMs(double percentile) {
      return latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    ObjectNode json() {
      ObjectNode o = JSON.createObjectNode();
      o.put("query", query).put("mode", "latency").put("events", events).put("rate", rate)
          .put("parallelism", parallelism).put("warmupEvents", warmupEvents)
          .put("measuredEvents", latencies.getTotalCount()).put("batches", batches).put("wallSeconds", wallSeconds)
          .put("cpuSeconds", cpuSeconds).put("p50Ms", percentileMs(50)).put("p90Ms", percentileMs(90))
          .put("p99Ms", percentileMs(99)).put("p999Ms", percentileMs(99.9))
          .put("maxMs", latencies.getMaxValue() / 1000.0);
      ObjectNode durations = o.putObject("meanDurationsMs");
      meanDurationsMs.forEach(durations::put);
      return o;
    }
  }

  /**
   * Runs query {@code name} over {@code events} events released at {@code rate} a second, and their latencies;
   * with {@code trigger} (null: the default).
   */
  Result measure(String name, long events, long rate, int parallelism, long warmupEvents, Trigger trigger)
      throws IOException {
    long base = System.currentTimeMillis() + START_DELAY_MS;
    Path checkpoint = Files.createTempDirectory("freshet-nexmark-latency-");
    try (NexmarkQueries.Planned planned = queries.plan(name, Map.of("events", Long.toString(events),
        "rate", Long.toString(rate), "batch", "1000000", "base", Long.toString(base), "realtime", "true"),
        parallelism)) {
      Latencies latencies = new Latencies(base, rate, warmupEvents);
      planned.session().streams().addListener(latencies);
      long cpuBefore = NexmarkRunner.processCpuNanos();
      long start = System.nanoTime();
      var writer = planned.query().writeStream().format("blackhole").queryName(name)
          .option("checkpointLocation", checkpoint.toString());
      StreamingQuery q = (trigger == null ? writer : writer.trigger(trigger)).start();
      q.awaitTermination();
      // The listener bus delivers on a thread of its own: every progress report is in once the end is.
      latencies.awaitTerminated();
      double wall = (System.nanoTime() - start) / 1e9;
      double cpu = (NexmarkRunner.processCpuNanos() - cpuBefore) / 1e9;
      return new Result(name, events, rate, parallelism, warmupEvents, latencies.histogram(), latencies.batches(),
          wall, cpu, latencies.meanDurations());
    } finally {
      deleteTree(checkpoint);
    }
  }

  /** Records, from each batch's progress, the latency of every event the batch took in. */
  private static final class Latencies extends RunListener {
    /** The first event's time, as the run asked for it; the sources' offsets say it too. */
    private final long base;
    private final long rate;
    private final long warmupEvents;
    private final Histogram histogram = new Histogram(3_600_000_000L, 3);
    private long batches;
    /** Events before this one are recorded already (sources' ranges of a batch need not line up). */
    private long recordedUpTo;
    /** Per part of a batch's time ({@code durationMs}), its sum over the batches measured, and their number. */
    private final Map<String, Long> durationSums = new java.util.TreeMap<>();
    private long measuredBatches;

    Latencies(long base, long rate, long warmupEvents) {
      this.base = base;
      this.rate = rate;
      this.warmupEvents = warmupEvents;
    }

    @Override
    public synchronized void onQueryProgress(QueryProgressEvent event) {
      StreamingQueryProgress p = event.progress();
      if (p.numInputRows() == 0) {
        return;
      }
      batches++;
      long from = Long.MAX_VALUE;
      long to = 0;
      long base = this.base;
      for (SourceProgress source : p.sources()) {
        if (!source.description().startsWith("NexmarkSource")) {
          continue; // a side input's offsets are not event numbers
        }
        from = Math.min(from, offset(source.startOffset()).path("events").asLong());
        JsonNode end = offset(source.endOffset());
        to = Math.max(to, end.path("events").asLong());
        base = end.path("baseTime").asLong(base);
      }
      long doneMicros = (Instant.parse(p.timestamp()).toEpochMilli() + p.durationMs().get("triggerExecution")) * 1000;
      for (long n = Math.max(Math.max(from, recordedUpTo), warmupEvents); n < to; n++) {
        long released = base * 1000 + (long) (n * 1e6 / rate);
        histogram.recordValue(Math.max(0, doneMicros - released));
      }
      if (to > warmupEvents) {
        measuredBatches++;
        p.durationMs().forEach((part, ms) -> durationSums.merge(part, ms, Long::sum));
      }
      recordedUpTo = Math.max(recordedUpTo, to);
    }

    /** A Nexmark offset, {@code {"baseTime": ms, "events": n}} (n events of all three streams before it). */
    private static JsonNode offset(String offset) {
      if (offset == null) {
        return JSON.createObjectNode();
      }
      try {
        return JSON.readTree(offset);
      } catch (IOException e) {
        throw new UncheckedIOException("not a Nexmark offset: " + offset, e);
      }
    }

    synchronized Histogram histogram() {
      return histogram.copy();
    }

    synchronized long batches() {
      return batches;
    }

    /** The mean milliseconds of each part of a batch's time, over the batches that took in measured events. */
    synchronized Map<String, Double> meanDurations() {
      Map<String, Double> means = new java.util.LinkedHashMap<>();
      durationSums.forEach((part, sum) -> means.put(part, measuredBatches == 0 ? 0 : (double) sum / measuredBatches));
      return means;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
