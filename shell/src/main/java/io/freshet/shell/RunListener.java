package io.freshet.shell;

import io.freshet.streaming.StreamingQueryListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A listener of one benchmark run whose figures are read once the query's end has reached it: listeners hear
 * events on their own thread, so the last batch's progress may still be on its way when the query has ended.
 */
abstract class RunListener extends StreamingQueryListener {
  private final CountDownLatch terminated = new CountDownLatch(1);

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    terminated.countDown();
  }

  /** Waits until the query's end has reached this listener (and so every progress report before it). */
  void awaitTerminated() {
    try {
      if (!terminated.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the query's end never reached the runner's listener");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the runner's listener", e);
    }
  }
}
