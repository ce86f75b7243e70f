package io.freshet.exec.dstream.streaming.scheduler;

/**
 * Spark's {@code StreamingListener}: told when a context starts and when each batch is submitted, starts and
 * completes. Listeners are called on the batch's thread, in the order they were added; keep them short.
 */
public interface StreamingListener {
  default void onStreamingStarted(StreamingListenerStreamingStarted streamingStarted) {
  }

  default void onBatchSubmitted(StreamingListenerBatchSubmitted batchSubmitted) {
  }

  default void onBatchStarted(StreamingListenerBatchStarted batchStarted) {
  }

  default void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
  }
}
