package io.freshet.spark.streaming.dstream;

import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.HashPartitioner;
import io.freshet.spark.rdd.PairOps;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import java.util.ArrayList;
import java.util.List;
import scala.Tuple2;

/**
 * {@code reduceByKeyAndWindow} with an inverse function, computed incrementally as Spark does: the previous
 * window's values, minus (inverse) the batches that left the window, plus the batches that entered it. A key
 * stays with whatever value it returns to (0 for counts) unless the filter function drops it. Needs a checkpoint
 * directory, as in Spark.
 */
public final class ReducedWindowedDStream<K, V> extends DStream<Tuple2<K, V>> {
  private final DStream<Tuple2<K, V>> reduced;
  private final transient Function2<V, V, V> reduce;
  private final transient Function2<V, V, V> inverse;
  private final transient Function<Tuple2<K, V>, Boolean> filter;
  private final Duration windowDuration;
  private final Duration slide;
  private final int partitions;

  public ReducedWindowedDStream(DStream<Tuple2<K, V>> parent, Function2<V, V, V> reduce, Function2<V, V, V> inverse,
      Function<Tuple2<K, V>, Boolean> filter, Duration windowDuration, Duration slideDuration, int partitions) {
    super(parent.context());
    WindowedDStream.checkMultiples(parent, windowDuration, slideDuration);
    this.reduce = reduce;
    this.inverse = inverse;
    this.filter = filter;
    this.windowDuration = windowDuration;
    this.slide = slideDuration;
    this.partitions = partitions;
    // Each batch reduced by key first, as Spark's reducedStream.
    this.reduced = new TransformedDStream<>(parent, (rdd, time) -> PairOps.reduceByKey(rdd, reduce,
        new HashPartitioner(partitions)));
    reduced.keepAcrossRestarts();
  }

  @Override
  protected boolean mustCheckpoint() {
    return true;
  }

  @Override
  public Duration slideDuration() {
    return slide;
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(reduced);
  }

  @Override
  protected Duration parentRememberDuration() {
    return super.parentRememberDuration().plus(windowDuration);
  }

  @Override
  protected RDD<Tuple2<K, V>> compute(Time validTime) {
    Duration parentSlide = reduced.slideDuration();
    Time currentBegin = validTime.minus(windowDuration).plus(parentSlide);
    Time previousEnd = validTime.minus(slide);
    Time previousBegin = currentBegin.minus(slide);
    List<RDD<Tuple2<K, V>>> oldRdds = reduced.slice(previousBegin, currentBegin.minus(parentSlide));
    List<RDD<Tuple2<K, V>>> newRdds = reduced.slice(previousEnd.plus(parentSlide), validTime);
    RDD<Tuple2<K, V>> previous = getOrCompute(previousEnd);
    List<RDD<Tuple2<K, V>>> all = new ArrayList<>();
    all.add(previous == null ? RDD.empty() : previous);
    all.addAll(oldRdds);
    all.addAll(newRdds);
    int numOld = oldRdds.size();
    // The functions as locals, so that each task's copy of the lambda has its own copies of them.
    Function2<V, V, V> reduce = this.reduce;
    Function2<V, V, V> inverse = this.inverse;
    RDD<Tuple2<K, V>> merged = RDD.cogroup(all, partitions).map(kv -> {
      List<List<V>> values = kv._2();
      List<V> olds = new ArrayList<>();
      List<V> news = new ArrayList<>();
      for (int i = 1; i < values.size(); i++) {
        if (!values.get(i).isEmpty()) {
          (i <= numOld ? olds : news).add(values.get(i).get(0));
        }
      }
      if (values.get(0).isEmpty()) {
        if (news.isEmpty()) {
          throw new IllegalStateException("Neither previous window has value for key, nor new values found. Are you "
              + "sure your key class hashes consistently?");
        }
        return new Tuple2<>(kv._1(), reduceAll(reduce, news));
      }
      V value = values.get(0).get(0);
      if (!olds.isEmpty()) {
        V v = value;
        V o = reduceAll(reduce, olds);
        value = RDD.call(() -> inverse.call(v, o));
      }
      if (!news.isEmpty()) {
        V v = value;
        V n = reduceAll(reduce, news);
        value = RDD.call(() -> reduce.call(v, n));
      }
      return new Tuple2<>(kv._1(), value);
    });
    return filter == null ? merged : merged.filter(filter);
  }

  private static <V> V reduceAll(Function2<V, V, V> reduce, List<V> values) {
    V acc = values.get(0);
    for (int i = 1; i < values.size(); i++) {
      V a = acc;
      V b = values.get(i);
      acc = RDD.call(() -> reduce.call(a, b));
    }
    return acc;
  }
}
