package io.freshet.sql;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.Sink;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.List;

/** Hands each micro-batch's rows to a function; used by foreachBatch, collect and the JDBC driver. */
final class CallbackSink implements Sink {
  /** What is called with each batch's rows and its id. */
  @FunctionalInterface
  interface BatchRows {
    void call(List<Row> rows, long batchId) throws Exception;
  }

  private final BatchRows function;

  CallbackSink(BatchRows function) {
    this.function = function;
  }

  @Override
  public BatchWriter beginBatch(long batchId, OutputMode mode) {
    List<Row> rows = new ArrayList<>();
    return new BatchWriter() {
      @Override
      public void write(Batch batch) {
        rows.addAll(batch.rows());
      }

      @Override
      public void commit() {
        try {
          function.call(rows, batchId);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new FreshetException(FreshetException.Kind.USER, "foreachBatch function failed on batch " + batchId
              + ": " + e.getMessage(), e);
        }
      }
    };
  }

  @Override
  public String description() {
    return "ForeachBatchSink";
  }
}
