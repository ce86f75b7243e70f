package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import java.util.List;
import java.util.function.BiFunction;

/** A DStream made at each time from two parents' RDDs of that time (joins, cogroup, transformWith). */
public final class CoGroupedDStream<A, B, C> extends DStream<C> {
  private final DStream<A> left;
  private final DStream<B> right;
  private final transient Combine<A, B, C> function;

  /** The RDD of a time from the parents' RDDs of that time. */
  @FunctionalInterface
  public interface Combine<A, B, C> {
    RDD<C> apply(RDD<A> left, RDD<B> right, Time time);
  }

  public CoGroupedDStream(DStream<A> left, DStream<B> right, BiFunction<RDD<A>, RDD<B>, RDD<C>> function) {
    this(left, right, (a, b, t) -> function.apply(a, b));
  }

  public CoGroupedDStream(DStream<A> left, DStream<B> right, Combine<A, B, C> function) {
    super(left.context());
    if (left.context() != right.context()) {
      throw new IllegalArgumentException("Some of the DStreams have different contexts");
    }
    if (!left.slideDuration().equals(right.slideDuration())) {
      throw new IllegalArgumentException("Some of the DStreams have different slide durations");
    }
    this.left = left;
    this.right = right;
    this.function = function;
  }

  @Override
  public Duration slideDuration() {
    return left.slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(left, right);
  }

  @Override
  protected RDD<C> compute(Time validTime) {
    RDD<A> a = left.getOrCompute(validTime);
    RDD<B> b = right.getOrCompute(validTime);
    return function.apply(a == null ? RDD.empty() : a, b == null ? RDD.empty() : b, validTime);
  }
}
