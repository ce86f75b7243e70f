package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Time;
import java.util.function.BiConsumer;

/** An output operation: runs its function on the parent's RDD of each batch time that has one. */
public final class ForEachDStream<T> extends DerivedDStream<T, Void> {
  private final transient BiConsumer<RDD<T>, Time> function;

  public ForEachDStream(DStream<T> parent, BiConsumer<RDD<T>, Time> function) {
    super(parent);
    this.function = function;
  }

  @Override
  protected RDD<Void> compute(Time validTime) {
    return null;
  }

  /** Runs the output for {@code time}, if the parent has an RDD then. */
  public void run(Time time) {
    RDD<T> rdd = parent.getOrCompute(time);
    if (rdd != null) {
      function.accept(rdd, time);
    }
  }

  /** Registers this output with the context; outputs run one at a time, in the order they were registered. */
  public ForEachDStream<T> register() {
    ssc.addOutputStream(this);
    return this;
  }
}
