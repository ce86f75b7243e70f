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
  private final VectorExpr expression;
  private final BufferAllocator allocator;
  private final long idleTimeoutMs;
  private long current = StreamExecution.NO_WATERMARK;
  private long lastRowsAt;

  WatermarkTracker(Expr expression, long idleTimeoutMs, long now, BufferAllocator allocator) {
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
    int n = batch.rowCount();
    if (n == 0) {
      return;
    }
    lastRowsAt = now;
    try (FieldVector values = expression.evaluate(EvalContext.all(batch, allocator))) {
      long data = Vectors.data(values);
      long max = current;
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
      current = max;
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
