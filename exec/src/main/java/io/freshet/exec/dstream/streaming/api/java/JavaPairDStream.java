package io.freshet.exec.dstream.streaming.api.java;

import io.freshet.exec.dstream.api.java.JavaPairRDD;
import io.freshet.exec.dstream.api.java.function.FlatMapFunction;
import io.freshet.exec.dstream.api.java.function.Function;
import io.freshet.exec.dstream.api.java.function.Function2;
import io.freshet.exec.dstream.api.java.function.PairFunction;
import io.freshet.exec.dstream.api.java.function.VoidFunction;
import io.freshet.exec.dstream.api.java.function.VoidFunction2;
import io.freshet.exec.dstream.rdd.RDD;
import io.freshet.exec.dstream.streaming.Duration;
import io.freshet.exec.dstream.streaming.Time;
import io.freshet.exec.dstream.streaming.dstream.DStream;
import io.freshet.exec.dstream.streaming.dstream.ForEachDStream;
import io.freshet.exec.dstream.streaming.dstream.ReducedWindowedDStream;
import io.freshet.exec.dstream.streaming.dstream.TransformedDStream;
import io.freshet.exec.dstream.streaming.dstream.UnionDStream;
import io.freshet.exec.dstream.streaming.dstream.WindowedDStream;
import java.util.ArrayList;
import java.util.List;
import scala.Tuple2;

/** Spark's {@code JavaPairDStream}: a stream of key-value RDDs. */
public class JavaPairDStream<K, V> {
  private final DStream<Tuple2<K, V>> dstream;

  public JavaPairDStream(DStream<Tuple2<K, V>> dstream) {
    this.dstream = dstream;
  }

  public DStream<Tuple2<K, V>> dstream() {
    return dstream;
  }

  JavaPairRDD<K, V> wrap(RDD<Tuple2<K, V>> rdd) {
    return new JavaPairRDD<>(rdd, dstream.context().sparkContext());
  }

  private <K2, V2> JavaPairDStream<K2, V2> derive(
      java.util.function.BiFunction<RDD<Tuple2<K, V>>, Time, RDD<Tuple2<K2, V2>>> f) {
    return new JavaPairDStream<>(new TransformedDStream<>(dstream, f));
  }

  private int defaultPartitions() {
    return dstream.context().sparkContext().defaultParallelism();
  }

  public Duration slideDuration() {
    return dstream.slideDuration();
  }

  /** This stream as a stream of pairs. */
  public JavaDStream<Tuple2<K, V>> toJavaDStream() {
    return new JavaDStream<>(dstream);
  }

  // ---------------------------------------------------------------- transformations

  public <R> JavaDStream<R> map(Function<Tuple2<K, V>, R> f) {
    return toJavaDStream().map(f);
  }

  public <K2, V2> JavaPairDStream<K2, V2> mapToPair(PairFunction<Tuple2<K, V>, K2, V2> f) {
    return derive((rdd, t) -> rdd.map(f::call));
  }

  public JavaPairDStream<K, V> filter(Function<Tuple2<K, V>, Boolean> f) {
    return derive((rdd, t) -> rdd.filter(f));
  }

  public <U> JavaPairDStream<K, U> mapValues(Function<V, U> f) {
    return derive((rdd, t) -> rdd.map(kv -> new Tuple2<>(kv._1(), f.call(kv._2()))));
  }

  public <U> JavaPairDStream<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    return derive((rdd, t) -> rdd.flatMap(kv -> {
      List<Tuple2<K, U>> out = new ArrayList<>();
      f.call(kv._2()).forEachRemaining(u -> out.add(new Tuple2<>(kv._1(), u)));
      return out.iterator();
    }));
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> f) {
    return reduceByKey(f, defaultPartitions());
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> f, int numPartitions) {
    return derive((rdd, t) -> RDD.reduceByKey(rdd, f, numPartitions));
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitions());
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey(int numPartitions) {
    return derive((rdd, t) -> RDD.groupByKey(rdd, numPartitions).map(kv -> new Tuple2<>(kv._1(), kv._2())));
  }

  /** Spark's combineByKey: a combiner per key from its first value, merged with the next ones. */
  public <C> JavaPairDStream<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, int numPartitions) {
    return derive((rdd, t) -> RDD.groupByKey(rdd, numPartitions).map(kv -> {
      C c = null;
      boolean first = true;
      for (V v : kv._2()) {
        C current = c;
        c = first ? createCombiner.call(v) : mergeValue.call(current, v);
        first = false;
      }
      return new Tuple2<>(kv._1(), c);
    }));
  }

  public JavaPairDStream<K, V> union(JavaPairDStream<K, V> that) {
    return new JavaPairDStream<>(new UnionDStream<>(List.of(dstream, that.dstream)));
  }

  public JavaPairDStream<K, V> cache() {
    return this;
  }

  public JavaPairDStream<K, V> repartition(int numPartitions) {
    return derive((rdd, t) -> rdd.repartition(numPartitions));
  }

  public <K2, V2> JavaPairDStream<K2, V2> transformToPair(Function<JavaPairRDD<K, V>, JavaPairRDD<K2, V2>> f) {
    return derive((rdd, t) -> RDD.call(() -> f.call(wrap(rdd))).rdd());
  }

  public <K2, V2> JavaPairDStream<K2, V2> transformToPair(
      Function2<JavaPairRDD<K, V>, Time, JavaPairRDD<K2, V2>> f) {
    return derive((rdd, t) -> RDD.call(() -> f.call(wrap(rdd), t)).rdd());
  }

  public JavaDStream<Long> count() {
    return toJavaDStream().count();
  }

  // ---------------------------------------------------------------- windows

  public JavaPairDStream<K, V> window(Duration windowDuration) {
    return window(windowDuration, slideDuration());
  }

  public JavaPairDStream<K, V> window(Duration windowDuration, Duration slideDuration) {
    return new JavaPairDStream<>(new WindowedDStream<>(dstream, windowDuration, slideDuration));
  }

  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration) {
    return groupByKeyAndWindow(windowDuration, slideDuration());
  }

  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration) {
    return groupByKeyAndWindow(windowDuration, slideDuration, defaultPartitions());
  }

  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration,
      int numPartitions) {
    return window(windowDuration, slideDuration).groupByKey(numPartitions);
  }

  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> f, Duration windowDuration) {
    return reduceByKeyAndWindow(f, windowDuration, slideDuration());
  }

  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> f, Duration windowDuration,
      Duration slideDuration) {
    return reduceByKeyAndWindow(f, windowDuration, slideDuration, defaultPartitions());
  }

  /** Without an inverse: each batch reduced by key, then the window of those reduced again, as Spark. */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> f, Duration windowDuration,
      Duration slideDuration, int numPartitions) {
    return reduceByKey(f, numPartitions).window(windowDuration, slideDuration).reduceByKey(f, numPartitions);
  }

  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> f, Function2<V, V, V> inverse,
      Duration windowDuration, Duration slideDuration) {
    return reduceByKeyAndWindow(f, inverse, windowDuration, slideDuration, defaultPartitions(), null);
  }

  /**
   * With an inverse: incremental; a key whose value returns to its zero stays (with that value) unless
   * {@code filterFunc} drops it, as in Spark. Needs {@code checkpoint(dir)}.
   */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> f, Function2<V, V, V> inverse,
      Duration windowDuration, Duration slideDuration, int numPartitions, Function<Tuple2<K, V>, Boolean> filterFunc) {
    return new JavaPairDStream<>(new ReducedWindowedDStream<>(dstream, f, inverse, filterFunc, windowDuration,
        slideDuration, numPartitions));
  }

  // ---------------------------------------------------------------- outputs

  public void foreachRDD(VoidFunction<JavaPairRDD<K, V>> f) {
    new ForEachDStream<>(dstream, (rdd, t) -> RDD.call(() -> {
      f.call(wrap(rdd));
      return null;
    })).register();
  }

  public void foreachRDD(VoidFunction2<JavaPairRDD<K, V>, Time> f) {
    new ForEachDStream<>(dstream, (rdd, t) -> RDD.call(() -> {
      f.call(wrap(rdd), t);
      return null;
    })).register();
  }

  public void print() {
    print(10);
  }

  public void print(int num) {
    toJavaDStream().print(num);
  }

  public void saveAsTextFiles(String prefix, String suffix) {
    toJavaDStream().saveAsTextFiles(prefix, suffix);
  }
}
