package io.freshet.spark.streaming;

/** Spark's {@code Time}: a batch time in milliseconds; prints as {@code 1500000000000 ms}. */
public final class Time implements java.io.Serializable, Comparable<Time> {
  private final long millis;

  public Time(long millis) {
    this.millis = millis;
  }

  public long milliseconds() {
    return millis;
  }

  public Time plus(Duration d) {
    return new Time(millis + d.milliseconds());
  }

  public Time minus(Duration d) {
    return new Time(millis - d.milliseconds());
  }

  public Duration minus(Time t) {
    return new Duration(millis - t.millis);
  }

  public boolean less(Time t) {
    return millis < t.millis;
  }

  public boolean lessEq(Time t) {
    return millis <= t.millis;
  }

  public boolean greater(Time t) {
    return millis > t.millis;
  }

  public boolean greaterEq(Time t) {
    return millis >= t.millis;
  }

  public boolean isMultipleOf(Duration d) {
    return millis % d.milliseconds() == 0;
  }

  public Time floor(Duration d) {
    return new Time(Math.floorDiv(millis, d.milliseconds()) * d.milliseconds());
  }

  @Override
  public int compareTo(Time o) {
    return Long.compare(millis, o.millis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Time t && t.millis == millis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(millis);
  }

  @Override
  public String toString() {
    return millis + " ms";
  }
}
