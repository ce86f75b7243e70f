package io.freshet.exec.window;

import io.freshet.exec.batch.Values;
import java.util.List;
import java.util.Objects;

/**
 * The aggregates of every row of one partition of an OVER aggregation, computed at once over the partition's rows
 * in order (for {@link ChangelogOverOperator}, which recomputes a partition its batch changed). A ROWS frame holds
 * the row and the n before it; a RANGE frame the rows whose order value is within the reach of the row's, the row's
 * peers (rows of equal value) included, rows of a null value being peers of each other only.
 */
final class OverFrames {
  private OverFrames() {
  }

  /**
   * @param rows per row in order, its aggregates' arguments followed by its order value
   * @return per row, the aggregates of its frame
   */
  static Object[][] compute(OverAggregateOperator.Spec spec, List<Object[]> rows) {
    int n = rows.size();
    Object[][] results = new Object[n][];
    boolean bounded = spec.bounded();
    OverFrame frame = new OverFrame(spec.calls(), bounded);
    int order = spec.calls().size();
    int first = 0;
    for (int i = 0; i < n; ) {
      int peers = i + 1;
      while (!spec.rows() && peers < n && sameOrder(rows.get(peers)[order], rows.get(i)[order])) {
        peers++;
      }
      for (int r = i; r < peers; r++) {
        frame.add(rows.get(r));
      }
      if (bounded) {
        while (spec.rows() ? peers - first > spec.preceding() + 1
            : outOfReach(rows.get(first)[order], rows.get(i)[order], spec.preceding())) {
          frame.retract(rows.get(first++));
        }
      }
      Object[] aggregates = frame.results();
      for (int r = i; r < peers; r++) {
        results[r] = aggregates;
      }
      i = peers;
    }
    return results;
  }

  private static boolean sameOrder(Object a, Object b) {
    return Objects.equals(a, b);
  }

  /** Whether a row of order value {@code earlier} is out of the RANGE frame of a row of value {@code current}. */
  private static boolean outOfReach(Object earlier, Object current, long preceding) {
    if (current == null) {
      return earlier != null;
    }
    if (earlier == null) {
      return true;
    }
    long to = asLong(current);
    long from = to - preceding;
    return from <= to && asLong(earlier) < from;
  }

  /** An order value of a RANGE frame (a TIMESTAMP in milliseconds, or an integer) as a number. */
  private static long asLong(Object value) {
    return value instanceof Number number ? number.longValue() : Values.toEpochMillis(value);
  }
}
