package io.freshet.spark.streaming.api.java;

import io.freshet.spark.HashPartitioner;
import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.Optional;
import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.api.java.function.PairFunction;
import io.freshet.spark.api.java.function.VoidFunction;
import io.freshet.spark.api.java.function.VoidFunction2;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.dstream.CoGroupedDStream;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.ForEachDStream;
import io.freshet.spark.streaming.dstream.ReducedWindowedDStream;
import io.freshet.spark.streaming.dstream.StateDStream;
import io.freshet.spark.streaming.dstream.TransformedDStream;
import io.freshet.spark.streaming.dstream.UnionDStream;
import io.freshet.spark.streaming.dstream.WindowedDStream;
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

  // ---------------------------------------------------------------- joins and state

  /** For each key of either stream's batch, its values in this batch and in the other's. */
  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other) {
    return cogroup(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other,
      int numPartitions) {
    return joined(other, numPartitions, (k, vs, ws, out) -> out.add(new Tuple2<>(k, new Tuple2<>(vs, ws))));
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other) {
    return join(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other, int numPartitions) {
    return joined(other, numPartitions, (k, vs, ws, out) -> {
      for (V v : vs) {
        for (W w : ws) {
          out.add(new Tuple2<>(k, new Tuple2<>(v, w)));
        }
      }
    });
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other) {
    return leftOuterJoin(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return joined(other, numPartitions, (k, vs, ws, out) -> {
      for (V v : vs) {
        if (ws.isEmpty()) {
          out.add(new Tuple2<>(k, new Tuple2<>(v, Optional.empty())));
        }
        for (W w : ws) {
          out.add(new Tuple2<>(k, new Tuple2<>(v, Optional.of(w))));
        }
      }
    });
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other) {
    return rightOuterJoin(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return joined(other, numPartitions, (k, vs, ws, out) -> {
      for (W w : ws) {
        if (vs.isEmpty()) {
          out.add(new Tuple2<>(k, new Tuple2<>(Optional.empty(), w)));
        }
        for (V v : vs) {
          out.add(new Tuple2<>(k, new Tuple2<>(Optional.of(v), w)));
        }
      }
    });
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other) {
    return fullOuterJoin(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return joined(other, numPartitions, (k, vs, ws, out) -> {
      if (vs.isEmpty()) {
        for (W w : ws) {
          out.add(new Tuple2<>(k, new Tuple2<>(Optional.empty(), Optional.of(w))));
        }
      }
      for (V v : vs) {
        if (ws.isEmpty()) {
          out.add(new Tuple2<>(k, new Tuple2<>(Optional.of(v), Optional.empty())));
        }
        for (W w : ws) {
          out.add(new Tuple2<>(k, new Tuple2<>(Optional.of(v), Optional.of(w))));
        }
      }
    });
  }

  /** What a join makes of one key's values on each side. */
  @FunctionalInterface
  private interface JoinRule<K, V, W, R> {
    void apply(K key, List<V> left, List<W> right, List<Tuple2<K, R>> out);
  }

  @SuppressWarnings("unchecked")
  private <W, R> JavaPairDStream<K, R> joined(JavaPairDStream<K, W> other, int numPartitions,
      JoinRule<K, V, W, R> rule) {
    return new JavaPairDStream<>(new CoGroupedDStream<>(dstream, other.dstream(), (a, b) -> {
      List<RDD<Tuple2<K, Object>>> both = List.of((RDD<Tuple2<K, Object>>) (RDD<?>) a,
          (RDD<Tuple2<K, Object>>) (RDD<?>) b);
      return RDD.cogroup(both, numPartitions).mapPartitions(part -> {
        List<Tuple2<K, R>> out = new ArrayList<>();
        for (Tuple2<K, List<List<Object>>> kv : part) {
          rule.apply(kv._1(), (List<V>) (List<?>) kv._2().get(0), (List<W>) (List<?>) kv._2().get(1), out);
        }
        return out;
      });
    }));
  }

  /**
   * The state of each key across batches: the update function gets the batch's values of a key (an empty list
   * when there are none) and its state so far, for every key with state or values; an absent result drops the
   * key. Needs {@code checkpoint(dir)}, as in Spark.
   */
  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc) {
    return updateStateByKey(updateFunc, defaultPartitions());
  }

  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc,
      int numPartitions) {
    return new JavaPairDStream<>(new StateDStream<>(dstream, updateFunc, numPartitions, null));
  }

  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc,
      HashPartitioner partitioner) {
    return updateStateByKey(updateFunc, partitioner.numPartitions());
  }

  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc,
      HashPartitioner partitioner, JavaPairRDD<K, S> initialRDD) {
    return new JavaPairDStream<>(new StateDStream<>(dstream, updateFunc, partitioner.numPartitions(),
        initialRDD.rdd()));
  }

  /** Spark's mapWithState: a function over each record and its key's state; see {@link StateSpec}. */
  public <S, M> JavaMapWithStateDStream<K, V, S, M> mapWithState(
      io.freshet.spark.streaming.StateSpec<K, V, S, M> spec) {
    return new JavaMapWithStateDStream<>(new io.freshet.spark.streaming.dstream.MapWithStateDStream<>(dstream,
        spec));
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
    foreachRDD((rdd, time) -> f.call(rdd));
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
