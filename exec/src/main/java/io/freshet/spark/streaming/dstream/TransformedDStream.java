package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Time;
import java.util.function.BiFunction;

/** A DStream whose RDD at each time is a function of its parent's RDD at that time (map, filter, transform...). */
public final class TransformedDStream<T, U> extends DerivedDStream<T, U> {
  private final transient BiFunction<RDD<T>, Time, RDD<U>> function;

  public TransformedDStream(DStream<T> parent, BiFunction<RDD<T>, Time, RDD<U>> function) {
    super(parent);
    this.function = function;
  }

  @Override
  protected RDD<U> compute(Time validTime) {
    RDD<T> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : function.apply(rdd, validTime);
  }
}
