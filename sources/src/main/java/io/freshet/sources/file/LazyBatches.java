package io.freshet.sources.file;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchIterator;
import java.util.function.Supplier;

/**
 * The batches of one split, made only when the engine starts reading it and let go once it is closed: a batch may
 * have thousands of splits (up to 65 536 ranges of each large file), and a split's decoder holds buffers (some
 * 70 KB), so making them all up front, or keeping them until the batch ends, could fill the heap.
 */
final class LazyBatches extends BatchIterator {
  private final Supplier<BatchIterator> open;
  private final Runnable unread;
  private BatchIterator batches;
  private boolean closed;

  /** {@code open} makes the batches when reading starts; {@code unread} runs when the split is closed unread. */
  LazyBatches(Supplier<BatchIterator> open, Runnable unread) {
    this.open = open;
    this.unread = unread;
  }

  @Override
  protected Batch advance() {
    if (closed) {
      return null;
    }
    if (batches == null) {
      batches = open.get();
    }
    return batches.hasNext() ? batches.next() : null;
  }

  @Override
  public void close() {
    super.close();
    if (batches != null) {
      batches.close();
      batches = null;
    } else if (!closed) {
      unread.run();
    }
    closed = true;
  }
}
