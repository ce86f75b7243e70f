package io.freshet.sql;

import io.freshet.streaming.Row;
import java.util.List;

/**
 * Called with the output rows of each micro-batch and its id. After a failure a batch id may be seen again,
 * with the same rows.
 */
@FunctionalInterface
public interface ForeachBatchFunction {
  void call(List<Row> batch, long batchId) throws Exception;
}
