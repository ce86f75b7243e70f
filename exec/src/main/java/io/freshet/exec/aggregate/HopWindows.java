package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.Owned;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * The windows of a hopping window's aggregation whose groups are slices ({@link HopSlices}): when the watermark
 * closes windows, each slice in them is written as a partial row once per closed window it is in, keyed as that
 * window, and the partial rows are merged into one group per key and window, whose rows are the output. A window
 * closes once: those that close at or before the watermark a micro-batch started with were emitted before it, and
 * no slice of theirs can still grow, since a row older than that watermark is late.
 */
final class HopWindows {
  private final HashAggregateOperator.Spec spec;
  private final GroupedAggregation slices;
  private final BufferAllocator allocator;
  private final RowSchema partialSchema;
  private int[] pairGroups = new int[16];
  private long[] pairKeys = new long[16];

  HopWindows(HashAggregateOperator.Spec spec, GroupedAggregation slices, BufferAllocator allocator) {
    this.spec = spec;
    this.slices = slices;
    this.allocator = allocator;
    this.partialSchema = PartialAggregation.partialSchema(slices);
  }

  /** Adds to {@code out} the rows of the windows that close after {@code from} and at or before {@code to}. */
  void emit(long from, long to, List<Batch> out) {
    int n = pairs(from, to);
    if (n == 0) {
      return;
    }
    int[] list = Arrays.copyOf(pairGroups, n);
    GroupedAggregation windows = new GroupedAggregation(spec, allocator);
    try {
      List<FieldVector> vectors = partialRows(list, n);
      try (Batch partial = Batch.of(partialSchema, vectors, n)) {
        FieldVector[] keys = new FieldVector[slices.keyCount()];
        for (int k = 0; k < keys.length; k++) {
          keys[k] = partial.vector(k);
        }
        windows.findGroups(keys, n);
        windows.mergePartials(partial);
      }
      new AggregateOutput(spec, windows, allocator).emit(windows.all(), out);
    } finally {
      windows.remove(windows.all());
      windows.clearPendingDeletes();
    }
  }

  /**
   * Lists each slice with the close key of each window it is in that closes within {@code (from, to]}; returns how
   * many pairs there are.
   */
  private int pairs(long from, long to) {
    HopSlices hop = spec.slices();
    long offset = spec.closeOffsetMs();
    if (!anyCloses(from, to)) {
      return 0;
    }
    int n = 0;
    for (int g = 0; g < slices.size(); g++) {
      long first = slices.closeKey(g);
      for (int j = 0; j < hop.windows(); j++) {
        long key = first + j * hop.slideMs();
        long closes = key + offset;
        if (closes > from && closes <= to) {
          if (n == pairGroups.length) {
            pairGroups = Arrays.copyOf(pairGroups, n * 2);
            pairKeys = Arrays.copyOf(pairKeys, n * 2);
          }
          pairGroups[n] = g;
          pairKeys[n++] = key;
        }
      }
    }
    return n;
  }

  /**
   * Whether a window closes within {@code (from, to]}: windows close a slide apart, all at the same time modulo the
   * slide, so a micro-batch shorter than the slide mostly closes none, and then the slices are not scanned.
   */
  private boolean anyCloses(long from, long to) {
    if (slices.size() == 0 || to <= from) {
      return false;
    }
    if (from == Long.MIN_VALUE || to == Long.MAX_VALUE) {
      return true;
    }
    long slide = spec.slices().slideMs();
    long phase = Math.floorMod(slices.closeKey(0) + spec.closeOffsetMs(), slide);
    long next = from + 1 + Math.floorMod(phase - (from + 1), slide);
    return next <= to;
  }

  /** The partial rows of the pairs: each slice's stored keys, its close key that of the window, then its state. */
  private List<FieldVector> partialRows(int[] list, int n) {
    List<FieldVector> vectors = new ArrayList<>();
    Owned.orClose(vectors, () -> {
      List<FieldVector> keys = slices.keyVectors(list, n);
      vectors.addAll(keys);
      int close = slices.closeStored();
      FieldVector windowKeys = Vectors.allocate(slices.storedKeyColumn(close).type(), n, allocator);
      vectors.set(close, windowKeys).close();
      Vectors.setAllValid(windowKeys, n);
      long data = Vectors.data(windowKeys);
      for (int i = 0; i < n; i++) {
        MemoryUtil.putLong(data + ((long) i << 3), pairKeys[i]);
      }
      windowKeys.setValueCount(n);
      for (Accumulator a : slices.accumulators()) {
        vectors.addAll(a.writeState(list, n, allocator));
      }
    });
    return vectors;
  }
}
