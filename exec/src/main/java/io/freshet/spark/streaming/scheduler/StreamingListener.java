package io.freshet.spark.streaming.scheduler;

/**
 * Spark's {@code StreamingListener}: told when a context starts, when each batch is submitted, starts and
 * completes, and when a receiver starts, reports an error or stops. Listeners are called on the batch's thread,
 * in the order they were added; keep them short.
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

  default void onReceiverStarted(StreamingListenerReceiverStarted receiverStarted) {
  }

  default void onReceiverError(StreamingListenerReceiverError receiverError) {
  }

  default void onReceiverStopped(StreamingListenerReceiverStopped receiverStopped) {
  }
}
