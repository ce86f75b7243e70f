package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.VectorExpr;
import io.freshet.exec.expr.Vectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * The watermark of one source: the largest value of its watermark expression over every row read so far
 * ({@code ts - INTERVAL '3' SECOND} gives the largest event time minus three seconds). It never goes back.
 */
final class WatermarkTracker {
  private final Expr source;
  private final VectorExpr expression;
  private final BufferAllocator allocator;
  private final long idleTimeoutMs;
  private long current = StreamExecution.NO_WATERMARK;
  private long lastRowsAt;

  WatermarkTracker(Expr expression, long idleTimeoutMs, long now, BufferAllocator allocator) {
    this.source = expression;
    this.expression = VectorExpr.compile(expression);
    this.idleTimeoutMs = idleTimeoutMs;
    this.lastRowsAt = now;
    this.allocator = allocator;
  }

  /** Whether the source has given no rows for its idle timeout, at processing time {@code now}. */
  boolean isIdle(long now) {
    return idleTimeoutMs > 0 && now - lastRowsAt >= idleTimeoutMs;
  }

  void observe(Batch batch, long now) {
    if (batch.rowCount() > 0) {
      advance(largest(expression, batch, allocator, current), now);
    }
  }

  /** Rows whose largest watermark value is {@code max} were read (on another thread) at {@code now}. */
  void advance(long max, long now) {
    lastRowsAt = now;
    current = Math.max(current, max);
  }

  /** A copy of the watermark expression for one thread, allocating from {@code allocator}. */
  Observer observer(BufferAllocator allocator) {
    return new Observer(VectorExpr.compile(source), allocator);
  }

  /** Computes the largest watermark value of batches on one thread, for {@link #advance} on the query's. */
  static final class Observer {
    private final VectorExpr expression;
    private final BufferAllocator allocator;
    private long max = StreamExecution.NO_WATERMARK;
    private boolean sawRows;

    private Observer(VectorExpr expression, BufferAllocator allocator) {
      this.expression = expression;
      this.allocator = allocator;
    }

    void observe(Batch batch) {
      if (batch.rowCount() > 0) {
        sawRows = true;
        max = largest(expression, batch, allocator, max);
      }
    }

    /** Hands what it saw since the last call to {@code tracker}. */
    void drainInto(WatermarkTracker tracker, long now) {
      if (sawRows) {
        tracker.advance(max, now);
      }
      sawRows = false;
      max = StreamExecution.NO_WATERMARK;
    }
  }

  /** The larger of {@code max} and the largest non-null value of {@code expression} over the batch's rows. */
  private static long largest(VectorExpr expression, Batch batch, BufferAllocator allocator, long max) {
    int n = batch.rowCount();
    try (FieldVector values = expression.evaluate(EvalContext.all(batch, allocator))) {
      long data = Vectors.data(values);
      if (expression.isConstant()) {
        if (!values.isNull(0)) {
          max = Math.max(max, MemoryUtil.getLong(data));
        }
      } else if (values.getNullCount() == 0) {
        for (int i = 0; i < n; i++) {
          max = Math.max(max, MemoryUtil.getLong(data + ((long) i << 3)));
        }
      } else {
        long validity = Vectors.validity(values);
        for (int i = 0; i < n; i++) {
          if (Vectors.bit(validity, i)) {
            max = Math.max(max, MemoryUtil.getLong(data + ((long) i << 3)));
          }
        }
      }
      return max;
    }
  }

  /** Continues from a value saved in the checkpoint. */
  void restore(long value) {
    current = Math.max(current, value);
  }

  long current() {
    return current;
  }
}
