package io.freshet.exec.batch;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** An iterator of batches made one at a time: a subclass says how to make the next, or that there is none. */
public abstract class BatchIterator implements Iterator<Batch> {
  private Batch next;

  /** The next batch, or null at the end. */
  protected abstract Batch advance();

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
