package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import java.util.List;
import java.util.Map;

/**
 * A micro-batch computed by code of its own rather than by operators and a sink (the DStream API's jobs): the
 * engine still schedules the batches, keeps the offset and commit logs and reports progress, and hands the job
 * each source's rows of the batch.
 */
@FunctionalInterface
public interface BatchJob {

  /**
   * Runs batch {@code batchId} for batch time {@code batchTimeMs} (for a processing-time trigger, the multiple
   * of the interval the batch was due at; the same when a batch runs again after a restart). {@code inputs} maps
   * each source's name to its batches, which the engine closes after the call.
   */
  void run(long batchId, long batchTimeMs, Map<String, List<Batch>> inputs) throws Exception;

  /**
   * For a processing-time trigger, the time of the first batch of a new query (the job's own reckoning, made
   * before the engine started, so that a slow start does not move it); {@code Long.MIN_VALUE} for the next
   * multiple of the interval after the engine starts.
   */
  default long firstBatchTimeMs() {
    return Long.MIN_VALUE;
  }
}
