package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import java.util.List;

/** {@code window(length, slide)}: at each slide, the union of the parent's RDDs of the last {@code length}. */
public final class WindowedDStream<T> extends DStream<T> {
  private final DStream<T> parent;
  private final Duration windowDuration;
  private final Duration slide;

  public WindowedDStream(DStream<T> parent, Duration windowDuration, Duration slideDuration) {
    super(parent.context());
    checkMultiples(parent, windowDuration, slideDuration);
    this.parent = parent;
    this.windowDuration = windowDuration;
    this.slide = slideDuration;
    // Spark persists the parent's RDDs; Freshet's are in memory, and go to the checkpoint for a restart.
    parent.keepAcrossRestarts();
  }

  /** Spark's checks, with its messages: the window and the slide are multiples of the parent's slide. */
  static void checkMultiples(DStream<?> parent, Duration window, Duration slide) {
    if (!window.isMultipleOf(parent.slideDuration())) {
      throw new IllegalArgumentException("The window duration of windowed DStream (" + window + ") must be a "
          + "multiple of the slide duration of parent DStream (" + parent.slideDuration() + ")");
    }
    if (!slide.isMultipleOf(parent.slideDuration())) {
      throw new IllegalArgumentException("The slide duration of windowed DStream (" + slide + ") must be a "
          + "multiple of the slide duration of parent DStream (" + parent.slideDuration() + ")");
    }
  }

  public Duration windowDuration() {
    return windowDuration;
  }

  @Override
  public Duration slideDuration() {
    return slide;
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected Duration parentRememberDuration() {
    return super.parentRememberDuration().plus(windowDuration);
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    Time from = validTime.minus(windowDuration).plus(parent.slideDuration());
    return RDD.union(parent.slice(from, validTime));
  }
}
