package io.freshet.exec.operator;

/**
 * Counts the rows an event-time operator dropped because they were older than the watermark in force, so that
 * the stateful operator they were meant for can report them ({@code numRowsDroppedByWatermark}).
 */
public final class LateRows {
  private long inBatch;

  public void add(long rows) {
    inBatch += rows;
  }

  /** The rows dropped since the last call. */
  public long take() {
    long n = inBatch;
    inBatch = 0;
    return n;
  }
}
