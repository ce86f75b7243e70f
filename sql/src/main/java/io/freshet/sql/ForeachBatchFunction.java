package io.freshet.sql;

/**
 * Called with each micro-batch's output as a Dataset, and its id, as Spark's {@code foreachBatch}: the Dataset holds
 * the batch's rows ({@code collectAsList()}, {@code count()}, {@code show()}), and the Dataset operations
 * ({@code filter}, {@code groupBy}, ...) run over them as over a bounded table. After a failure a batch id may be
 * seen again, with the same rows.
 */
@FunctionalInterface
public interface ForeachBatchFunction {
  void call(Dataset batch, long batchId) throws Exception;
}
