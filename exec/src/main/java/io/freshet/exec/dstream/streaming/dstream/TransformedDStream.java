package io.freshet.exec.dstream.streaming.dstream;

import io.freshet.exec.dstream.rdd.RDD;
import io.freshet.exec.dstream.streaming.Duration;
import io.freshet.exec.dstream.streaming.Time;
import java.util.List;
import java.util.function.BiFunction;

/** A DStream whose RDD at each time is a function of its parent's RDD at that time (map, filter, transform...). */
public final class TransformedDStream<T, U> extends DStream<U> {
  private final DStream<T> parent;
  private final transient BiFunction<RDD<T>, Time, RDD<U>> function;

  public TransformedDStream(DStream<T> parent, BiFunction<RDD<T>, Time, RDD<U>> function) {
    super(parent.context());
    this.parent = parent;
    this.function = function;
  }

  @Override
  public Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected RDD<U> compute(Time validTime) {
    RDD<T> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : function.apply(rdd, validTime);
  }
}
