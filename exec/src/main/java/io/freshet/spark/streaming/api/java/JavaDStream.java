package io.freshet.spark.streaming.api.java;

import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.storage.StorageLevel;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.TransformedDStream;
import io.freshet.spark.streaming.dstream.UnionDStream;
import io.freshet.spark.streaming.dstream.WindowedDStream;
import java.util.List;

/**
 * Spark's {@code JavaDStream}: a stream of RDDs, one per batch, and what programs do with it (what it shares with
 * {@link JavaPairDStream} is in {@link JavaDStreamLike}).
 */
public class JavaDStream<T> implements JavaDStreamLike<T, JavaDStream<T>, JavaRDD<T>> {
  private final DStream<T> dstream;

  public JavaDStream(DStream<T> dstream) {
    this.dstream = dstream;
  }

  @Override
  public DStream<T> dstream() {
    return dstream;
  }

  @Override
  public JavaRDD<T> wrapRDD(RDD<T> rdd) {
    return new JavaRDD<>(rdd, dstream.context().sparkContext());
  }

  private JavaDStream<T> derive(java.util.function.BiFunction<RDD<T>, Time, RDD<T>> f) {
    return new JavaDStream<>(new TransformedDStream<>(dstream, f));
  }

  public Duration slideDuration() {
    return dstream.slideDuration();
  }

  // ---------------------------------------------------------------- transformations

  public JavaDStream<T> filter(Function<T, Boolean> f) {
    return derive((rdd, t) -> rdd.filter(f));
  }

  public JavaDStream<T> repartition(int numPartitions) {
    return derive((rdd, t) -> rdd.repartition(numPartitions));
  }

  public JavaDStream<T> union(JavaDStream<T> that) {
    return new JavaDStream<>(new UnionDStream<>(List.of(dstream, that.dstream)));
  }

  /** Keeps each batch's RDD once computed, so that the stream's several uses do not compute it again. */
  public JavaDStream<T> cache() {
    dstream.persist();
    return this;
  }

  public JavaDStream<T> persist() {
    dstream.persist();
    return this;
  }

  public JavaDStream<T> persist(StorageLevel storageLevel) {
    dstream.persist();
    return this;
  }

  // ---------------------------------------------------------------- windows

  public JavaDStream<T> window(Duration windowDuration) {
    return window(windowDuration, slideDuration());
  }

  public JavaDStream<T> window(Duration windowDuration, Duration slideDuration) {
    return new JavaDStream<>(new WindowedDStream<>(dstream, windowDuration, slideDuration));
  }
}
