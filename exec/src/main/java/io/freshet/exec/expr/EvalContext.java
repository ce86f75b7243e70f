package io.freshet.exec.expr;

import io.freshet.exec.batch.Batch;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The rows a kernel evaluates: the rows {@code selection[0..count)} of {@code batch}, or its first
 * {@code count} rows when {@code selection} is null. Every kernel returns a dense vector of {@code count}
 * values, position {@code i} standing for the i-th selected row, so only column reads look at the selection.
 */
public record EvalContext(Batch batch, int[] selection, int count, BufferAllocator allocator) {

  public static EvalContext all(Batch batch, BufferAllocator allocator) {
    return new EvalContext(batch, null, batch.rowCount(), allocator);
  }

  /** The batch row behind output position {@code i}. */
  public int row(int i) {
    return selection == null ? i : selection[i];
  }
}
