package io.freshet.spark.streaming.api.java;

import io.freshet.spark.HashPartitioner;
import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.JavaRDDLike;
import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.api.java.function.Function3;
import io.freshet.spark.api.java.function.PairFlatMapFunction;
import io.freshet.spark.api.java.function.PairFunction;
import io.freshet.spark.api.java.function.VoidFunction;
import io.freshet.spark.api.java.function.VoidFunction2;
import io.freshet.spark.rdd.PairOps;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.StreamingContext;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.dstream.CoGroupedDStream;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.ForEachDStream;
import io.freshet.spark.streaming.dstream.TransformedDStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;
import scala.Tuple2;

/**
 * Spark's {@code JavaDStreamLike}: what {@link JavaDStream} and {@link JavaPairDStream} share, so that code generic
 * over both compiles as with Spark. {@code R} is the RDD of one batch ({@link JavaRDD} or {@link JavaPairRDD}),
 * which {@code foreachRDD} and {@code transform} hand to the program.
 *
 * @param <T> the element type
 * @param <This> the stream's own type
 * @param <R> the type of one batch's RDD
 */
public interface JavaDStreamLike<T, This extends JavaDStreamLike<T, This, R>, R extends JavaRDDLike<T, R>>
    extends java.io.Serializable {
  /** The stream this wraps. */
  DStream<T> dstream();

  /** One batch's data as the RDD type of this stream. */
  R wrapRDD(RDD<T> rdd);

  default StreamingContext context() {
    return dstream().context();
  }

  private <U> JavaDStream<U> derived(BiFunction<RDD<T>, Time, RDD<U>> f) {
    return new JavaDStream<>(new TransformedDStream<>(dstream(), f));
  }

  private <K2, V2> JavaPairDStream<K2, V2> derivedPairs(BiFunction<RDD<T>, Time, RDD<Tuple2<K2, V2>>> f) {
    return new JavaPairDStream<>(new TransformedDStream<>(dstream(), f));
  }

  // ---------------------------------------------------------------- transformations

  default <U> JavaDStream<U> map(Function<T, U> f) {
    return derived((rdd, t) -> rdd.map(f));
  }

  default <K2, V2> JavaPairDStream<K2, V2> mapToPair(PairFunction<T, K2, V2> f) {
    return derivedPairs((rdd, t) -> rdd.map(f::call));
  }

  default <U> JavaDStream<U> flatMap(FlatMapFunction<T, U> f) {
    return derived((rdd, t) -> rdd.flatMap(f));
  }

  default <K2, V2> JavaPairDStream<K2, V2> flatMapToPair(PairFlatMapFunction<T, K2, V2> f) {
    return derivedPairs((rdd, t) -> rdd.flatMap(f::call));
  }

  default <U> JavaDStream<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    return derived((rdd, t) -> rdd.mapPartitionsWith(f));
  }

  default <K2, V2> JavaPairDStream<K2, V2> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K2, V2> f) {
    return derivedPairs((rdd, t) -> rdd.mapPartitionsWith(f::call));
  }

  default JavaDStream<List<T>> glom() {
    return derived((rdd, t) -> rdd.glom());
  }

  /** One element per batch: how many elements it had (0 for an empty batch), as Spark's count. */
  default JavaDStream<Long> count() {
    return derived((rdd, t) -> new RDD<>(List.of(List.of(rdd.count()))));
  }

  /** Per batch, each distinct element and how often it occurs. */
  default JavaPairDStream<T, Long> countByValue() {
    return countByValue(context().sparkContext().defaultParallelism());
  }

  default JavaPairDStream<T, Long> countByValue(int numPartitions) {
    return derivedPairs((rdd, t) -> PairOps.reduceByKey(rdd.map(x -> new Tuple2<>(x, 1L)), Long::sum,
        new HashPartitioner(numPartitions)));
  }

  /** Per batch, its elements reduced to one (no element for an empty batch). */
  default JavaDStream<T> reduce(Function2<T, T, T> f) {
    return derived((rdd, t) -> {
      Object[] result = rdd.reduceIfAny(f); // one pass over the batch, as Spark's
      @SuppressWarnings("unchecked")
      List<T> one = result == null ? List.of() : java.util.Collections.singletonList((T) result[0]);
      return new RDD<>(List.of(one));
    });
  }

  default <U> JavaDStream<U> transform(Function<R, JavaRDD<U>> f) {
    return transform((rdd, time) -> f.call(rdd));
  }

  default <U> JavaDStream<U> transform(Function2<R, Time, JavaRDD<U>> f) {
    return derived((rdd, t) -> transformed(RDD.call(() -> f.call(wrapRDD(rdd), t))));
  }

  default <K2, V2> JavaPairDStream<K2, V2> transformToPair(Function<R, JavaPairRDD<K2, V2>> f) {
    return transformToPair((rdd, time) -> f.call(rdd));
  }

  default <K2, V2> JavaPairDStream<K2, V2> transformToPair(Function2<R, Time, JavaPairRDD<K2, V2>> f) {
    return derivedPairs((rdd, t) -> transformed(RDD.call(() -> f.call(wrapRDD(rdd), t))));
  }

  /** The RDD a transform function gave, which must not be null (Spark's message). */
  private static <U> RDD<U> transformed(JavaRDDLike<U, ?> result) {
    if (result == null) {
      throw new IllegalArgumentException("Transform function must not return null. Return "
          + "SparkContext.emptyRDD() instead to represent no element as the result of transformation.");
    }
    return result.rdd();
  }

  /**
   * Spark's checkpoint interval of a stream. Freshet checkpoints the state every stateful stream needs at every
   * batch, so the interval is only checked: a positive multiple of the stream's slide, as Spark requires.
   */
  default DStream<T> checkpoint(Duration interval) {
    Duration slide = dstream().slideDuration();
    if (interval.milliseconds() <= 0 || interval.milliseconds() % slide.milliseconds() != 0) {
      throw new IllegalArgumentException("requirement failed: Checkpoint interval " + interval + " must be a "
          + "positive multiple of the slide duration " + slide);
    }
    return dstream();
  }

  /** {@code f} of each batch's RDD of this stream and of {@code other}, and the batch's time. */
  default <U, W> JavaDStream<W> transformWith(JavaDStream<U> other, Function3<R, JavaRDD<U>, Time, JavaRDD<W>> f) {
    return new JavaDStream<>(with(other.dstream(), (a, b, t) -> transformed(RDD.call(() -> f.call(wrapRDD(a),
        other.wrapRDD(b), t)))));
  }

  default <K2, V2, W> JavaDStream<W> transformWith(JavaPairDStream<K2, V2> other,
      Function3<R, JavaPairRDD<K2, V2>, Time, JavaRDD<W>> f) {
    return new JavaDStream<>(with(other.dstream(), (a, b, t) -> transformed(RDD.call(() -> f.call(wrapRDD(a),
        other.wrapRDD(b), t)))));
  }

  default <U, K2, V2> JavaPairDStream<K2, V2> transformWithToPair(JavaDStream<U> other,
      Function3<R, JavaRDD<U>, Time, JavaPairRDD<K2, V2>> f) {
    return new JavaPairDStream<>(with(other.dstream(), (a, b, t) -> transformed(RDD.call(() -> f.call(wrapRDD(a),
        other.wrapRDD(b), t)))));
  }

  default <K2, V2, K3, V3> JavaPairDStream<K3, V3> transformWithToPair(JavaPairDStream<K2, V2> other,
      Function3<R, JavaPairRDD<K2, V2>, Time, JavaPairRDD<K3, V3>> f) {
    return new JavaPairDStream<>(with(other.dstream(), (a, b, t) -> transformed(RDD.call(() -> f.call(wrapRDD(a),
        other.wrapRDD(b), t)))));
  }

  private <U, C> DStream<C> with(DStream<U> other, CoGroupedDStream.Combine<T, U, C> f) {
    return new CoGroupedDStream<>(dstream(), other, f);
  }

  // ---------------------------------------------------------------- windows

  default JavaDStream<T> reduceByWindow(Function2<T, T, T> f, Duration windowDuration, Duration slideDuration) {
    return reduce(f).window(windowDuration, slideDuration).reduce(f);
  }

  /** With an inverse: incremental, as a keyless reduceByKeyAndWindow (so an emptied window gives its zero). */
  default JavaDStream<T> reduceByWindow(Function2<T, T, T> f, Function2<T, T, T> inverse, Duration windowDuration,
      Duration slideDuration) {
    return mapToPair(x -> new Tuple2<>(1, x)).reduceByKeyAndWindow(f, inverse, windowDuration, slideDuration, 1, null)
        .map(Tuple2::_2);
  }

  default JavaDStream<Long> countByWindow(Duration windowDuration, Duration slideDuration) {
    return map(x -> 1L).reduceByWindow(Long::sum, (a, b) -> a - b, windowDuration, slideDuration);
  }

  default JavaPairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration) {
    return countByValueAndWindow(windowDuration, slideDuration, context().sparkContext().defaultParallelism());
  }

  default JavaPairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration,
      int numPartitions) {
    return mapToPair(x -> new Tuple2<>(x, 1L)).reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, windowDuration,
        slideDuration, numPartitions, kv -> kv._2() != 0L);
  }

  /** The RDDs of the batches from {@code fromTime} to {@code toTime}, both included, that the stream remembers. */
  default List<R> slice(Time fromTime, Time toTime) {
    List<R> out = new ArrayList<>();
    for (RDD<T> rdd : dstream().slice(fromTime, toTime)) {
      out.add(wrapRDD(rdd));
    }
    return out;
  }

  // ---------------------------------------------------------------- outputs

  default void foreachRDD(VoidFunction<R> f) {
    foreachRDD((rdd, time) -> f.call(rdd));
  }

  default void foreachRDD(VoidFunction2<R, Time> f) {
    new ForEachDStream<>(dstream(), (rdd, t) -> RDD.call(() -> {
      f.call(wrapRDD(rdd), t);
      return null;
    })).register();
  }

  /** The first ten elements of each batch under Spark's header. */
  default void print() {
    print(10);
  }

  default void print(int num) {
    new ForEachDStream<>(dstream(), (rdd, t) -> Output.print(rdd, t, num)).register();
  }

  /** Each batch as text files in {@code prefix-<time in ms>.suffix}, as Spark names them. */
  default void saveAsTextFiles(String prefix, String suffix) {
    new ForEachDStream<>(dstream(), (rdd, t) -> wrapRDD(rdd).saveAsTextFile(Output.fileName(prefix, suffix, t)))
        .register();
  }
}
