package io.freshet.spark.streaming;

/** Spark's {@code Duration}: a length of time in milliseconds. */
public final class Duration implements java.io.Serializable, Comparable<Duration> {
  private final long millis;

  public Duration(long millis) {
    this.millis = millis;
  }

  public long milliseconds() {
    return millis;
  }

  public Duration plus(Duration that) {
    return new Duration(millis + that.millis);
  }

  public Duration minus(Duration that) {
    return new Duration(millis - that.millis);
  }

  public Duration times(int times) {
    return new Duration(millis * times);
  }

  public double div(Duration that) {
    return (double) millis / that.millis;
  }

  public boolean less(Duration that) {
    return millis < that.millis;
  }

  public boolean lessEq(Duration that) {
    return millis <= that.millis;
  }

  public boolean greater(Duration that) {
    return millis > that.millis;
  }

  public boolean greaterEq(Duration that) {
    return millis >= that.millis;
  }

  public boolean isMultipleOf(Duration that) {
    return that.millis != 0 && millis % that.millis == 0;
  }

  public boolean isZero() {
    return millis == 0;
  }

  @Override
  public int compareTo(Duration o) {
    return Long.compare(millis, o.millis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Duration d && d.millis == millis;
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
