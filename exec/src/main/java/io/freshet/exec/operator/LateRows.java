package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * Counts the rows an event-time operator dropped because they were older than the watermark in force, so that
 * the stateful operator they were meant for can report them ({@code numRowsDroppedByWatermark}), and hands the
 * rows themselves to the query's late-rows sink when it has one.
 */
public final class LateRows {
  private final Consumer<Batch> target;
  private long inBatch;

  /** Counts only. */
  public LateRows() {
    this(null);
  }

  /** Counts, and gives each batch of late rows to {@code target} (which then owns it). */
  public LateRows(Consumer<Batch> target) {
    this.target = target;
  }

  public void add(long rows) {
    inBatch += rows;
  }

  /** Counts rows {@code rows[0..n)} of {@code input} as late and passes copies of them to the late-rows sink. */
  public void drop(Batch input, int[] rows, int n, BufferAllocator allocator) {
    inBatch += n;
    if (target == null || n == 0) {
      return;
    }
    List<FieldVector> columns = new ArrayList<>();
    try {
      for (int c = 0; c < input.columnCount(); c++) {
        columns.add(Vectors.gather(input.vector(c), input.schema().type(c), rows, n, allocator));
      }
    } catch (RuntimeException e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
    target.accept(Batch.of(input.schema(), columns, n));
  }

  /** The rows dropped since the last call. */
  public long take() {
    long n = inBatch;
    inBatch = 0;
    return n;
  }
}
