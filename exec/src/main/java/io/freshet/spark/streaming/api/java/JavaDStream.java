package io.freshet.spark.streaming.api.java;

import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.api.java.function.PairFlatMapFunction;
import io.freshet.spark.api.java.function.PairFunction;
import io.freshet.spark.api.java.function.VoidFunction;
import io.freshet.spark.api.java.function.VoidFunction2;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.ForEachDStream;
import io.freshet.spark.streaming.dstream.TransformedDStream;
import io.freshet.spark.streaming.dstream.UnionDStream;
import io.freshet.spark.streaming.dstream.WindowedDStream;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/** Spark's {@code JavaDStream}: a stream of RDDs, one per batch, and what programs do with it. */
public class JavaDStream<T> {
  private final DStream<T> dstream;

  public JavaDStream(DStream<T> dstream) {
    this.dstream = dstream;
  }

  public DStream<T> dstream() {
    return dstream;
  }

  JavaRDD<T> wrap(RDD<T> rdd) {
    return new JavaRDD<>(rdd, dstream.context().sparkContext());
  }

  <U> JavaDStream<U> derive(java.util.function.BiFunction<RDD<T>, Time, RDD<U>> f) {
    return new JavaDStream<>(new TransformedDStream<>(dstream, f));
  }

  <K, V> JavaPairDStream<K, V> derivePairs(java.util.function.BiFunction<RDD<T>, Time, RDD<Tuple2<K, V>>> f) {
    return new JavaPairDStream<>(new TransformedDStream<>(dstream, f));
  }

  int defaultPartitions() {
    return dstream.context().sparkContext().defaultParallelism();
  }

  public Duration slideDuration() {
    return dstream.slideDuration();
  }

  // ---------------------------------------------------------------- transformations

  public <R> JavaDStream<R> map(Function<T, R> f) {
    return derive((rdd, t) -> rdd.map(f));
  }

  public JavaDStream<T> filter(Function<T, Boolean> f) {
    return derive((rdd, t) -> rdd.filter(f));
  }

  public <U> JavaDStream<U> flatMap(FlatMapFunction<T, U> f) {
    return derive((rdd, t) -> rdd.flatMap(f));
  }

  public <K2, V2> JavaPairDStream<K2, V2> mapToPair(PairFunction<T, K2, V2> f) {
    return derivePairs((rdd, t) -> rdd.map(f::call));
  }

  public <K2, V2> JavaPairDStream<K2, V2> flatMapToPair(PairFlatMapFunction<T, K2, V2> f) {
    return derivePairs((rdd, t) -> rdd.flatMap(f::call));
  }

  public <U> JavaDStream<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    return derive((rdd, t) -> rdd.mapPartitionsWith(f));
  }

  public JavaDStream<List<T>> glom() {
    return derive((rdd, t) -> rdd.glom());
  }

  public JavaDStream<T> repartition(int numPartitions) {
    return derive((rdd, t) -> rdd.repartition(numPartitions));
  }

  public JavaDStream<T> union(JavaDStream<T> that) {
    return new JavaDStream<>(new UnionDStream<>(List.of(dstream, that.dstream)));
  }

  public JavaDStream<T> cache() {
    return this;
  }

  public JavaDStream<T> persist() {
    return this;
  }

  public <U> JavaDStream<U> transform(Function<JavaRDD<T>, JavaRDD<U>> f) {
    return derive((rdd, t) -> RDD.call(() -> f.call(wrap(rdd))).rdd());
  }

  public <U> JavaDStream<U> transform(Function2<JavaRDD<T>, Time, JavaRDD<U>> f) {
    return derive((rdd, t) -> RDD.call(() -> f.call(wrap(rdd), t)).rdd());
  }

  public <K2, V2> JavaPairDStream<K2, V2> transformToPair(
      Function<JavaRDD<T>, io.freshet.spark.api.java.JavaPairRDD<K2, V2>> f) {
    return derivePairs((rdd, t) -> RDD.call(() -> f.call(wrap(rdd))).rdd());
  }

  public <K2, V2> JavaPairDStream<K2, V2> transformToPair(
      Function2<JavaRDD<T>, Time, io.freshet.spark.api.java.JavaPairRDD<K2, V2>> f) {
    return derivePairs((rdd, t) -> RDD.call(() -> f.call(wrap(rdd), t)).rdd());
  }

  /** One element per batch: how many elements it had (0 for an empty batch), as Spark's count. */
  public JavaDStream<Long> count() {
    return derive((rdd, t) -> new RDD<>(List.of(List.of(rdd.count()))));
  }

  /** Per batch, each distinct element and how often it occurs. */
  public JavaPairDStream<T, Long> countByValue() {
    return countByValue(defaultPartitions());
  }

  public JavaPairDStream<T, Long> countByValue(int numPartitions) {
    return derivePairs((rdd, t) -> RDD.reduceByKey(rdd.map(x -> new Tuple2<>(x, 1L)), Long::sum, numPartitions));
  }

  /** Per batch, its elements reduced to one (no element for an empty batch). */
  public JavaDStream<T> reduce(Function2<T, T, T> f) {
    return derive((rdd, t) -> new RDD<>(List.of(rdd.isEmpty() ? List.of() : List.of(rdd.reduce(f)))));
  }

  // ---------------------------------------------------------------- windows

  public JavaDStream<T> window(Duration windowDuration) {
    return window(windowDuration, slideDuration());
  }

  public JavaDStream<T> window(Duration windowDuration, Duration slideDuration) {
    return new JavaDStream<>(new WindowedDStream<>(dstream, windowDuration, slideDuration));
  }

  public JavaDStream<T> reduceByWindow(Function2<T, T, T> f, Duration windowDuration, Duration slideDuration) {
    return reduce(f).window(windowDuration, slideDuration).reduce(f);
  }

  /** With an inverse function: incremental, as a keyless reduceByKeyAndWindow (so an emptied window gives its zero). */
  public JavaDStream<T> reduceByWindow(Function2<T, T, T> f, Function2<T, T, T> inverse, Duration windowDuration,
      Duration slideDuration) {
    return mapToPair(x -> new Tuple2<>(1, x)).reduceByKeyAndWindow(f, inverse, windowDuration, slideDuration, 1, null)
        .map(Tuple2::_2);
  }

  public JavaDStream<Long> countByWindow(Duration windowDuration, Duration slideDuration) {
    return map(x -> 1L).reduceByWindow(Long::sum, (a, b) -> a - b, windowDuration, slideDuration);
  }

  public JavaPairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration) {
    return countByValueAndWindow(windowDuration, slideDuration, defaultPartitions());
  }

  public JavaPairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration,
      int numPartitions) {
    return mapToPair(x -> new Tuple2<>(x, 1L)).reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, windowDuration,
        slideDuration, numPartitions, kv -> kv._2() != 0L);
  }

  // ---------------------------------------------------------------- outputs

  public void foreachRDD(VoidFunction<JavaRDD<T>> f) {
    foreachRDD((rdd, time) -> f.call(rdd));
  }

  public void foreachRDD(VoidFunction2<JavaRDD<T>, Time> f) {
    new ForEachDStream<>(dstream, (rdd, t) -> RDD.call(() -> {
      f.call(wrap(rdd), t);
      return null;
    })).register();
  }

  /** The first ten elements of each batch under Spark's header. */
  public void print() {
    print(10);
  }

  public void print(int num) {
    new ForEachDStream<>(dstream, (rdd, t) -> Output.print(rdd, t, num)).register();
  }

  /** Each batch as text files in {@code prefix-<time in ms>.suffix}, as Spark names them. */
  public void saveAsTextFiles(String prefix, String suffix) {
    new ForEachDStream<>(dstream, (rdd, t) -> wrap(rdd).saveAsTextFile(Output.fileName(prefix, suffix, t)))
        .register();
  }
}
