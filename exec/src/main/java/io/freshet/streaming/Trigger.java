package io.freshet.streaming;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the engine starts the next micro-batch. The default, {@code ProcessingTime(0)}, starts the next batch
 * as soon as the last one finishes and new data is there.
 */
public sealed interface Trigger {

  /** A batch every {@code intervalMs} of processing time (a late batch starts at once). */
  record ProcessingTime(long intervalMs) implements Trigger {
    public ProcessingTime {
      if (intervalMs < 0) {
        throw FreshetException.user("Trigger interval must not be negative, got " + intervalMs + " ms");
      }
    }
  }

  /** Process everything available when the query starts, in as many batches as the sources need, then stop. */
  record AvailableNow() implements Trigger { }

  /**
   * Process everything available when the query starts in one batch, whatever the sources' per-batch limits
   * ({@code maxFilesPerTrigger}, {@code maxOffsetsPerTrigger}, {@code max-events-per-batch}), then stop, as Spark's
   * {@code Trigger.Once()}. A batch that a restart runs again (it was not committed) is that one batch.
   */
  record Once() implements Trigger { }

  /**
   * Low latency: the next batch starts as soon as the last one has handed its checkpoint over and new data is
   * there, taking only what arrived since (small batches under a steady stream), and the checkpoint files are
   * written and forced to disk on a background thread, in order: a batch's offset log entry while it runs, its
   * state files and commit log entry while the next batch runs. Before a batch's output becomes visible (its sink
   * commit) it waits for its offset entry and for the previous batch's checkpoint, so at most one checkpoint is in
   * flight and the guarantees are those of the default trigger: a restart resumes after the last batch whose
   * commit entry is on disk, runs the one after it again from its logged offsets, and sinks skip what they hold.
   * Unlike Spark's continuous processing (whose {@code Trigger.Continuous(interval)} gives a checkpoint interval),
   * every batch checkpoints, so there is no interval to give.
   */
  record Continuous() implements Trigger { }

  static Trigger ProcessingTime(long intervalMs) {
    return new ProcessingTime(intervalMs);
  }

  /** Parses an interval such as {@code "1 second"}, {@code "500 ms"}, {@code "2 minutes"}. */
  static Trigger ProcessingTime(String interval) {
    return new ProcessingTime(parseIntervalMs(interval));
  }

  static Trigger AvailableNow() {
    return new AvailableNow();
  }

  static Trigger Once() {
    return new Once();
  }

  /** The low-latency trigger: batches back to back with asynchronous checkpoints ({@link Continuous}). */
  static Trigger Continuous() {
    return new Continuous();
  }

  /**
   * Parses the text of a trigger setting: {@code available-now}, {@code once}, {@code continuous}, or a
   * processing-time interval.
   */
  static Trigger parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("available-now") || t.equals("availablenow")) {
      return AvailableNow();
    }
    if (t.equals("once")) {
      return Once();
    }
    if (t.equals("continuous")) {
      return Continuous();
    }
    if (t.startsWith("processing-time")) {
      t = t.substring("processing-time".length()).replaceFirst("^[:=\\s]+", "");
      return t.isEmpty() ? ProcessingTime(0) : ProcessingTime(t);
    }
    if (!t.isEmpty() && !Character.isDigit(t.charAt(0))) {
      throw FreshetException.user("Unknown trigger '" + text.trim() + "'; write available-now, once, continuous, "
          + "or processing-time <interval> (e.g. processing-time 1 second)");
    }
    return ProcessingTime(t);
  }

  /** Milliseconds in an interval text such as {@code "10 seconds"}; a bare number is milliseconds. */
  static long parseIntervalMs(String interval) {
    Matcher m = Pattern.compile("\\s*(\\d+)\\s*([a-z]*)\\s*").matcher(interval.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw FreshetException.user("Cannot read the interval '" + interval
          + "'; write a number and a unit, e.g. '1 second', '500 ms', '2 minutes'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "", "ms", "milli", "millis", "millisecond", "milliseconds" -> n;
      case "s", "sec", "second", "seconds" -> n * 1000;
      case "m", "min", "minute", "minutes" -> n * 60_000;
      case "h", "hour", "hours" -> n * 3_600_000;
      default -> throw FreshetException.user("Unknown time unit '" + m.group(2) + "' in interval '" + interval
          + "'; use ms, second(s), minute(s) or hour(s)");
    };
  }
}
