package io.freshet.exec.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.FreshetException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The background writer of the continuous trigger's checkpoints. */
class CheckpointWriterTest {
  @Test
  void aWriteThatDiesWithAnErrorStillWaitsForTheFilesWrittenBesideIt() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    AtomicBoolean besideDone = new AtomicBoolean();
    try (CheckpointWriter writer = new CheckpointWriter("test")) {
      writer.submit("the checkpoint of batch 3", () -> writer.writeAll(List.of(
          () -> {
            throw new AssertionError("out of something");
          },
          () -> {
            try {
              // Held until the query's thread has seen the failure (or a while, when it waits for this write).
              released.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            besideDone.set(true);
          })), null);
      FreshetException e = assertThrows(FreshetException.class, writer::awaitDurable);
      boolean doneFirst = besideDone.get();
      released.countDown();
      assertTrue(e.getMessage().startsWith("Writing the checkpoint of batch 3 in the background failed, and the "
          + "query stopped: out of something"), e.getMessage());
      // No file of the checkpoint is still being written once the query learns it failed (and may restart).
      assertTrue(doneFirst, "the failure was reported while a file beside it was still being written");
    }
  }
}
