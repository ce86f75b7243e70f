package io.freshet.spark.streaming.api.java;

import io.freshet.spark.Partitioner;
import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.Optional;
import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.ReducedWindowedDStream;
import io.freshet.spark.streaming.dstream.StateDStream;
import io.freshet.spark.streaming.dstream.TransformedDStream;
import io.freshet.spark.streaming.dstream.UnionDStream;
import io.freshet.spark.streaming.dstream.WindowedDStream;
import java.util.List;
import scala.Tuple2;

/**
 * Spark's {@code JavaPairDStream}: a stream of key-value RDDs (what it shares with {@link JavaDStream} is in
 * {@link JavaDStreamLike}).
 */
public class JavaPairDStream<K, V> implements JavaDStreamLike<Tuple2<K, V>, JavaPairDStream<K, V>, JavaPairRDD<K, V>> {
  private final DStream<Tuple2<K, V>> dstream;

  public JavaPairDStream(DStream<Tuple2<K, V>> dstream) {
    this.dstream = dstream;
  }

  @Override
  public DStream<Tuple2<K, V>> dstream() {
    return dstream;
  }

  @Override
  public JavaPairRDD<K, V> wrapRDD(RDD<Tuple2<K, V>> rdd) {
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

  public static <K, V> JavaPairDStream<K, V> fromJavaDStream(JavaDStream<Tuple2<K, V>> dstream) {
    return new JavaPairDStream<>(dstream.dstream());
  }

  /** This stream as a stream of pairs. */
  public JavaDStream<Tuple2<K, V>> toJavaDStream() {
    return new JavaDStream<>(dstream);
  }

  // ---------------------------------------------------------------- transformations

  public JavaPairDStream<K, V> filter(Function<Tuple2<K, V>, Boolean> f) {
    return derive((rdd, t) -> rdd.filter(f));
  }

  public <U> JavaPairDStream<K, U> mapValues(Function<V, U> f) {
    return transformToPair(rdd -> rdd.mapValues(f));
  }

  public <U> JavaPairDStream<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    return transformToPair(rdd -> rdd.flatMapValues(f));
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> f) {
    return reduceByKey(f, defaultPartitions());
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> f, int numPartitions) {
    return transformToPair(rdd -> rdd.reduceByKey(f, numPartitions));
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> f, Partitioner partitioner) {
    return transformToPair(rdd -> rdd.reduceByKey(partitioner, f));
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitions());
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey(int numPartitions) {
    return transformToPair(rdd -> rdd.groupByKey(numPartitions));
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    return transformToPair(rdd -> rdd.groupByKey(partitioner));
  }

  /** Spark's combineByKey, batch by batch (see {@link JavaPairRDD#combineByKey}). */
  public <C> JavaPairDStream<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner) {
    return transformToPair(rdd -> rdd.combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner));
  }

  /** As above; values are always combined within each partition first, whatever {@code mapSideCombine} says. */
  public <C> JavaPairDStream<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner, boolean mapSideCombine) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner);
  }

  public <C> JavaPairDStream<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, int numPartitions) {
    return transformToPair(rdd -> rdd.combineByKey(createCombiner, mergeValue, mergeCombiners, numPartitions));
  }

  // ---------------------------------------------------------------- joins and state: the RDDs' of each batch

  /** For each key of either stream's batch, its values in this batch and in the other's. */
  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return transformWithToPair(other, (a, b, t) -> a.cogroup(b, partitioner));
  }

  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other) {
    return cogroup(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other,
      int numPartitions) {
    return transformWithToPair(other, (a, b, t) -> a.cogroup(b, numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return transformWithToPair(other, (a, b, t) -> a.join(b, partitioner));
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other) {
    return join(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other, int numPartitions) {
    return transformWithToPair(other, (a, b, t) -> a.join(b, numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return transformWithToPair(other, (a, b, t) -> a.leftOuterJoin(b, partitioner));
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other) {
    return leftOuterJoin(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return transformWithToPair(other, (a, b, t) -> a.leftOuterJoin(b, numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return transformWithToPair(other, (a, b, t) -> a.rightOuterJoin(b, partitioner));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other) {
    return rightOuterJoin(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return transformWithToPair(other, (a, b, t) -> a.rightOuterJoin(b, numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return transformWithToPair(other, (a, b, t) -> a.fullOuterJoin(b, partitioner));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other) {
    return fullOuterJoin(other, defaultPartitions());
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return transformWithToPair(other, (a, b, t) -> a.fullOuterJoin(b, numPartitions));
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
      Partitioner partitioner) {
    return updateStateByKey(updateFunc, partitioner.numPartitions());
  }

  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc,
      Partitioner partitioner, JavaPairRDD<K, S> initialRDD) {
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

  /** Keeps each batch's RDD once computed, so that the stream's several uses do not compute it again. */
  public JavaPairDStream<K, V> cache() {
    dstream.persist();
    return this;
  }

  public JavaPairDStream<K, V> persist() {
    dstream.persist();
    return this;
  }

  public JavaPairDStream<K, V> persist(io.freshet.spark.storage.StorageLevel storageLevel) {
    dstream.persist();
    return this;
  }

  public JavaPairDStream<K, V> repartition(int numPartitions) {
    return derive((rdd, t) -> rdd.repartition(numPartitions));
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

  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration,
      Partitioner partitioner) {
    return window(windowDuration, slideDuration).groupByKey(partitioner);
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

  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> f, Duration windowDuration,
      Duration slideDuration, Partitioner partitioner) {
    return reduceByKey(f, partitioner).window(windowDuration, slideDuration).reduceByKey(f, partitioner);
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

  /** As with a number of partitions (the partitioner's), each window then placed by {@code partitioner}. */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> f, Function2<V, V, V> inverse,
      Duration windowDuration, Duration slideDuration, Partitioner partitioner,
      Function<Tuple2<K, V>, Boolean> filterFunc) {
    return reduceByKeyAndWindow(f, inverse, windowDuration, slideDuration, partitioner.numPartitions(), filterFunc)
        .transformToPair(rdd -> rdd.partitionBy(partitioner));
  }
}
