package io.freshet.exec.aggregate;

/**
 * How a hopping window's aggregation keeps its groups when the window's size is a multiple of its slide: as
 * slices. Each row is folded into the one slice (of one slide) its time falls in, not into each of the
 * {@code windows} windows that hold it, and a window's rows are those of its slices, merged when it closes. A slice
 * is keyed as the first window it is in (the one that ends with it); the j-th window it is in has every window key
 * {@code j * slideMs} later.
 *
 * @param slideMs the window's slide, the length of a slice
 * @param windows the number of windows each slice is in: the size over the slide
 */
public record HopSlices(long slideMs, int windows) {
  public HopSlices {
    if (slideMs <= 0 || windows < 2) {
      throw new IllegalArgumentException("a hopping window's slices need a positive slide and two windows or more");
    }
  }

  /** How much later than the first window a slice is in its last window closes. */
  public long spanMs() {
    return (windows - 1) * slideMs;
  }

  @Override
  public String toString() {
    return "slices of " + slideMs + " ms, " + windows + " to a window";
  }
}
