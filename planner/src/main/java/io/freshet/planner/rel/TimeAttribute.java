package io.freshet.planner.rel;

/**
 * What a column means for time: nothing, the row time of a stream with a watermark, a processing-time attribute
 * ({@code PROCTIME()}: the processing time of the row's micro-batch), or a bound of a window. A window bound knows
 * the size of its window (0 when windows differ in length, as sessions and CUMULATE's do), the longest any of its
 * windows lasts from its start ({@code span}: the size, CUMULATE's largest size, 0 when unknown), which window
 * assignment made it ({@code window}), so that the start, end and time of one window can be told apart from those
 * of another, and whether its windows follow processing time ({@code processing}) rather than event time.
 */
public record TimeAttribute(Kind kind, long size, long span, int window, boolean processing) {

  /** The kinds of time attribute. */
  public enum Kind { NONE, ROWTIME, PROCTIME, WINDOW_START, WINDOW_END, WINDOW_TIME }

  public static final TimeAttribute NONE = new TimeAttribute(Kind.NONE, 0, 0, -1, false);
  public static final TimeAttribute ROWTIME = new TimeAttribute(Kind.ROWTIME, 0, 0, -1, false);
  public static final TimeAttribute PROCTIME = new TimeAttribute(Kind.PROCTIME, 0, 0, -1, true);

  /** A bound of the windows made by {@code window}, of {@code size} ms. */
  public static TimeAttribute windowBound(Kind kind, long size, int window) {
    return new TimeAttribute(kind, size, size, window, false);
  }

  /**
   * A bound of the windows made by {@code window}, which differ in length, the longest {@code span} ms from its
   * start (CUMULATE's windows, which share their start).
   */
  public static TimeAttribute growingWindowBound(Kind kind, long span, int window) {
    return new TimeAttribute(kind, 0, span, window, false);
  }

  /** This window bound, of windows that follow processing time. */
  public TimeAttribute overProcessingTime() {
    return new TimeAttribute(kind, size, span, window, true);
  }

  /** Whether the column is a window's start, end or time. */
  public boolean isWindowBound() {
    return kind == Kind.WINDOW_START || kind == Kind.WINDOW_END || kind == Kind.WINDOW_TIME;
  }

  /** Whether a window over this column follows event time: a row time, or the time of an inner window. */
  public boolean isEventTime() {
    return !processing && (kind == Kind.ROWTIME || kind == Kind.WINDOW_TIME);
  }

  /**
   * Whether a window over this column follows processing time: a processing-time attribute, or the time of an inner
   * processing-time window.
   */
  public boolean isProcessingTime() {
    return processing && (kind == Kind.PROCTIME || kind == Kind.WINDOW_TIME);
  }
}
