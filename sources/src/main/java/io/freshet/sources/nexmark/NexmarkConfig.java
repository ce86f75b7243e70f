package io.freshet.sources.nexmark;

import io.freshet.exec.batch.Values;
import io.freshet.exec.connector.ConnectorOptions;

/** The checked options of a Nexmark stream. */
record NexmarkConfig(long events, double eventsPerSecond, long seed, Long baseTimeMs, int outOfOrderGroupSize,
    long maxEventsPerBatch, int batchSize, boolean realTime) {

  static NexmarkConfig from(ConnectorOptions o) {
    long events = o.getLong("events");
    if (events < 0) {
      throw o.invalid("events", String.valueOf(events), "0 (endless) or a positive number of events");
    }
    double rate = o.getDouble("events-per-second");
    if (!(rate > 0)) {
      throw o.invalid("events-per-second", o.getString("events-per-second"), "a positive number");
    }
    Long base = null;
    String baseText = o.getString("base-time");
    if (baseText != null && !baseText.isBlank()) {
      try {
        base = baseText.trim().matches("-?\\d+") ? Long.parseLong(baseText.trim()) : Values.toEpochMillis(baseText);
      } catch (RuntimeException e) {
        throw o.invalid("base-time", baseText, "a timestamp 'yyyy-MM-dd HH:mm:ss' or epoch milliseconds");
      }
    }
    long groupSize = o.getPositiveLong("out-of-order-group-size");
    long batchSize = o.getPositiveLong("batch-size");
    return new NexmarkConfig(events, rate, o.getLong("seed"), base, (int) Math.min(groupSize, 1_000_000),
        o.getPositiveLong("max-events-per-batch"), (int) Math.min(batchSize, 1 << 20), o.getBoolean("real-time"));
  }
}
