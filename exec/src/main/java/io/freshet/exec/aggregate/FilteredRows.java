package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * Feeds rows of a batch to the accumulator of one aggregate call: all of them, or, for a call with
 * {@code FILTER (WHERE ...)}, only those whose filter column is TRUE (not FALSE, not NULL), as Flink and Spark do.
 * The filter is read a byte of validity and values at a time over a whole batch (bit by bit over a selection of its
 * rows, as a session aggregation's rows less the late ones); when it lets some rows through but not all, their
 * groups and argument values are gathered into a dense batch for the accumulator, so the accumulators themselves
 * know nothing of filters.
 */
final class FilteredRows {
  private final BufferAllocator allocator;
  private int[] passing = new int[0];
  private int[] passingGroups = new int[0];
  private int[] inputRows = new int[0];

  FilteredRows(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * Folds rows {@code [0, n)} into {@code accumulator}, or takes them back out when {@code retract}: row j is
   * input row {@code rows[j]} ({@code j} itself when {@code rows} is null) and belongs to group {@code groups[j]}.
   */
  void fold(Accumulator accumulator, AggregateCall call, Batch input, int[] rows, int[] groups, int n,
      boolean retract) {
    int m = call.filter() < 0 ? n : select(input.vector(call.filter()), rows, n);
    if (m == 0) {
      return;
    }
    int[] picked = rows;
    int[] g = groups;
    if (m < n) {
      if (passingGroups.length < m) {
        passingGroups = new int[passing.length];
        inputRows = new int[passing.length];
      }
      for (int j = 0; j < m; j++) {
        int row = passing[j];
        passingGroups[j] = groups[row];
        inputRows[j] = rows == null ? row : rows[row];
      }
      picked = inputRows;
      g = passingGroups;
    }
    if (call.argument() < 0) {
      apply(accumulator, g, null, m, retract);
    } else if (picked == null) {
      apply(accumulator, g, input.vector(call.argument()), m, retract);
    } else {
      try (FieldVector argument = Vectors.gather(input.vector(call.argument()), call.argumentType(), picked, m,
          allocator)) {
        apply(accumulator, g, argument, m, retract);
      }
    }
  }

  private static void apply(Accumulator accumulator, int[] groups, FieldVector argument, int n, boolean retract) {
    if (retract) {
      accumulator.retract(groups, argument, n);
    } else {
      accumulator.update(groups, argument, n);
    }
  }

  /**
   * Writes into {@link #passing} the positions j in {@code [0, n)} whose filter value (at input row {@code rows[j]},
   * or j) is TRUE, and returns how many there are.
   */
  private int select(FieldVector filter, int[] rows, int n) {
    if (passing.length < n) {
      passing = new int[Math.max(16, n)];
    }
    long validity = Vectors.validity(filter);
    long data = Vectors.data(filter);
    int m = 0;
    if (rows == null) {
      boolean allValid = filter.getNullCount() == 0;
      for (int base = 0; base < n; base += 8) {
        int bits = MemoryUtil.getByte(data + (base >>> 3)) & 0xff;
        if (!allValid) {
          bits &= MemoryUtil.getByte(validity + (base >>> 3));
        }
        if (n - base < 8) {
          bits &= (1 << (n - base)) - 1;
        }
        while (bits != 0) {
          passing[m++] = base + Integer.numberOfTrailingZeros(bits);
          bits &= bits - 1;
        }
      }
      return m;
    }
    for (int j = 0; j < n; j++) {
      int i = rows[j];
      if (Vectors.bit(validity, i) && Vectors.bit(data, i)) {
        passing[m++] = j;
      }
    }
    return m;
  }
}
