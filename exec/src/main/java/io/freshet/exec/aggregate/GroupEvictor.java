package io.freshet.exec.aggregate;

import java.util.Arrays;

/**
 * When the groups of a windowed aggregation close: a group's window closes at its close key's value plus the
 * spec's offset, once the watermark reaches that time. Keeps the earliest close time of the groups in memory, so
 * that a watermark before it costs no scan. An unbounded aggregation's groups never close.
 */
final class GroupEvictor {
  private final HashAggregateOperator.Spec spec;
  private final GroupedAggregation grouped;
  private long minClose = Long.MAX_VALUE;

  GroupEvictor(HashAggregateOperator.Spec spec, GroupedAggregation grouped) {
    this.spec = spec;
    this.grouped = grouped;
  }

  /** Groups {@code from..size-1} are new. */
  void added(int from) {
    if (spec.windowed()) {
      for (int g = from; g < grouped.size(); g++) {
        minClose = Math.min(minClose, closeTime(g));
      }
    }
  }

  /** The groups whose window the watermark closed, ascending. */
  int[] closed(long watermarkMs) {
    if (!spec.windowed() || watermarkMs < minClose) {
      return new int[0];
    }
    int size = grouped.size();
    int[] closed = new int[size];
    int n = 0;
    for (int g = 0; g < size; g++) {
      if (closeTime(g) <= watermarkMs) {
        closed[n++] = g;
      }
    }
    return Arrays.copyOf(closed, n);
  }

  /** Evicts {@code closed} (ascending) from the grouped state. */
  void evict(int[] closed) {
    grouped.evict(closed);
    recompute();
  }

  /** Finds the earliest close time again, after groups were removed or restored. */
  void recompute() {
    minClose = Long.MAX_VALUE;
    added(0);
  }

  /** When the group's window closes; for a slice of a hopping window, the last window it is in. */
  private long closeTime(int group) {
    return grouped.closeKey(group) + spec.closeOffsetMs() + (spec.slices() == null ? 0 : spec.slices().spanMs());
  }
}
