package io.freshet.exec.batch;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator of batches made one at a time: a subclass says how to make the next, or that there is none. The
 * engine closes it when it stops reading, which releases what a half-made batch holds when the batch failed.
 */
public abstract class BatchIterator implements Iterator<Batch>, AutoCloseable {
  private Batch next;

  /** The next batch, or null at the end. */
  protected abstract Batch advance();

  /** Releases what the iterator holds; the default holds nothing. */
  @Override
  public void close() {
    if (next != null) {
      next.close();
      next = null;
    }
  }

  @Override
  public final boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public final Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Batch b = next;
    next = null;
    return b;
  }
}
