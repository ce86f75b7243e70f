package io.freshet.exec.expr;

import io.freshet.exec.batch.Batch;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The rows a kernel evaluates: the rows {@code selection[0..count)} of {@code batch}, or its first
 * {@code count} rows when {@code selection} is null. Every kernel returns a dense vector of {@code count}
 * values, position {@code i} standing for the i-th selected row, so only column reads look at the selection.
 *
 * @param processingTimeMs the micro-batch's processing time, which {@code PROCTIME()} gives, or
 *     {@link #NO_PROCESSING_TIME} where the caller evaluates no expression that reads it
 */
public record EvalContext(Batch batch, int[] selection, int count, BufferAllocator allocator,
    long processingTimeMs) {

  /** The processing time of a context made outside a micro-batch's projection: PROCTIME() cannot be read there. */
  public static final long NO_PROCESSING_TIME = Long.MIN_VALUE;

  /** A context without a processing time. */
  public EvalContext(Batch batch, int[] selection, int count, BufferAllocator allocator) {
    this(batch, selection, count, allocator, NO_PROCESSING_TIME);
  }

  public static EvalContext all(Batch batch, BufferAllocator allocator) {
    return new EvalContext(batch, null, batch.rowCount(), allocator);
  }

  /** These rows at processing time {@code timeMs}. */
  public EvalContext at(long timeMs) {
    return new EvalContext(batch, selection, count, allocator, timeMs);
  }

  /** The rows {@code selection[0..count)} of the same batch, at the same processing time. */
  EvalContext select(int[] rows, int n) {
    return new EvalContext(batch, rows, n, allocator, processingTimeMs);
  }

  /** The batch row behind output position {@code i}. */
  public int row(int i) {
    return selection == null ? i : selection[i];
  }
}
