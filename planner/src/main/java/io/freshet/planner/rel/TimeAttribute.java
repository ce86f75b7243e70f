package io.freshet.planner.rel;

/**
 * What a column means for event time: nothing, the row time of a stream with a watermark, or a bound of a window.
 * A window bound knows the size of its window (0 when windows differ in length, as sessions do) and which window
 * assignment made it ({@code window}), so that the start, end and time of one window can be told apart from those
 * of another.
 */
public record TimeAttribute(Kind kind, long size, int window) {

  /** The kinds of time attribute. */
  public enum Kind { NONE, ROWTIME, WINDOW_START, WINDOW_END, WINDOW_TIME }

  public static final TimeAttribute NONE = new TimeAttribute(Kind.NONE, 0, -1);
  public static final TimeAttribute ROWTIME = new TimeAttribute(Kind.ROWTIME, 0, -1);

  /** A bound of the windows made by {@code window}, of {@code size} ms. */
  public static TimeAttribute windowBound(Kind kind, long size, int window) {
    return new TimeAttribute(kind, size, window);
  }

  /** Whether the column is a window's start, end or time. */
  public boolean isWindowBound() {
    return kind == Kind.WINDOW_START || kind == Kind.WINDOW_END || kind == Kind.WINDOW_TIME;
  }

  /** Whether a window over this column follows event time: a row time, or the time of an inner window. */
  public boolean isEventTime() {
    return kind == Kind.ROWTIME || kind == Kind.WINDOW_TIME;
  }
}
