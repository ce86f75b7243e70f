package io.freshet.spark.api.java;

import io.freshet.spark.SparkContext;
import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.api.java.function.PairFlatMapFunction;
import io.freshet.spark.api.java.function.PairFunction;
import io.freshet.spark.api.java.function.VoidFunction;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.rdd.RddOps;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

/**
 * Spark's {@code JavaRDDLike}: what {@link JavaRDD} and {@link JavaPairRDD} share (the element-wise
 * transformations, pairing, grouping and the actions), so that code generic over both compiles as with Spark.
 * {@code This} is the type of the RDD itself, which {@link #wrapRDD} makes.
 *
 * <p>Order is Spark's where Spark defines one: partitions in order, then positions (collect, take, zipWithIndex,
 * foreach); cartesian's partition i × j is {@code i * other's partitions + j}; top gives the largest first,
 * takeOrdered the smallest first. fold and aggregate start each partition from a copy of the zero value and then
 * combine the partitions' results from it too, as Spark does.
 *
 * @param <T> the element type
 * @param <This> the RDD's own type
 */
public interface JavaRDDLike<T, This extends JavaRDDLike<T, This>> extends java.io.Serializable {
  /** The RDD this wraps. */
  RDD<T> rdd();

  /** An RDD of this kind over {@code rdd}, in the same context. */
  This wrapRDD(RDD<T> rdd);

  /** The context the RDD belongs to, as Spark's {@code context()}. */
  SparkContext context();

  // ---------------------------------------------------------------- transformations

  default <R> JavaRDD<R> map(Function<T, R> f) {
    return new JavaRDD<>(rdd().map(f), context());
  }

  default <K2, V2> JavaPairRDD<K2, V2> mapToPair(PairFunction<T, K2, V2> f) {
    return new JavaPairRDD<>(rdd().map(f::call), context());
  }

  default <U> JavaRDD<U> flatMap(FlatMapFunction<T, U> f) {
    return new JavaRDD<>(rdd().flatMap(f), context());
  }

  default <K2, V2> JavaPairRDD<K2, V2> flatMapToPair(PairFlatMapFunction<T, K2, V2> f) {
    return new JavaPairRDD<>(rdd().flatMap(f::call), context());
  }

  default <U> JavaRDD<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    return new JavaRDD<>(rdd().mapPartitionsWith(f), context());
  }

  /** As above; {@code preservesPartitioning} is accepted (there is no partitioner to keep). */
  default <U> JavaRDD<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f, boolean preservesPartitioning) {
    return mapPartitions(f);
  }

  default <K2, V2> JavaPairRDD<K2, V2> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K2, V2> f) {
    return new JavaPairRDD<>(rdd().mapPartitionsWith(f::call), context());
  }

  default <K2, V2> JavaPairRDD<K2, V2> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K2, V2> f,
      boolean preservesPartitioning) {
    return mapPartitionsToPair(f);
  }

  /** {@code f} of each partition's index (from 0) and its elements. */
  default <R> JavaRDD<R> mapPartitionsWithIndex(Function2<Integer, Iterator<T>, Iterator<R>> f,
      boolean preservesPartitioning) {
    RDD<T> parent = rdd();
    java.util.function.Supplier<Function2<Integer, Iterator<T>, Iterator<R>>> fs =
        io.freshet.spark.rdd.Closures.perTask(f);
    return new JavaRDD<>(new RDD<>(parent.numPartitions(), i -> {
      Function2<Integer, Iterator<T>, Iterator<R>> g = fs.get();
      return RDD.call(() -> g.call(i, parent.iterator(i)));
    }, parent), context());
  }

  default JavaRDD<List<T>> glom() {
    return new JavaRDD<>(rdd().glom(), context());
  }

  default <U> JavaPairRDD<T, U> cartesian(JavaRDDLike<U, ?> other) {
    return new JavaPairRDD<>(RddOps.cartesian(rdd(), other.rdd()), context());
  }

  /** The elements grouped by {@code f}'s key, in Spark's default number of partitions (see JavaPairRDD). */
  default <U> JavaPairRDD<U, Iterable<T>> groupBy(Function<T, U> f) {
    return groupBy(f, DefaultPartitions.of(context(), rdd()));
  }

  default <U> JavaPairRDD<U, Iterable<T>> groupBy(Function<T, U> f, int numPartitions) {
    return keyBy(f).groupByKey(numPartitions);
  }

  default <U> JavaPairRDD<U, T> keyBy(Function<T, U> f) {
    return new JavaPairRDD<>(rdd().map(t -> new Tuple2<>(f.call(t), t)), context());
  }

  default <U> JavaPairRDD<T, U> zip(JavaRDDLike<U, ?> other) {
    return new JavaPairRDD<>(RddOps.zip(rdd(), other.rdd()), context());
  }

  default JavaPairRDD<T, Long> zipWithIndex() {
    return new JavaPairRDD<>(RddOps.zipWithIndex(rdd()), context());
  }

  default JavaPairRDD<T, Long> zipWithUniqueId() {
    return new JavaPairRDD<>(RddOps.zipWithUniqueId(rdd()), context());
  }

  // ---------------------------------------------------------------- actions

  default List<T> collect() {
    return rdd().collect();
  }

  default long count() {
    return rdd().count();
  }

  /** How many times each element occurs. */
  default Map<T, Long> countByValue() {
    return RddOps.countByValue(rdd());
  }

  /** The first element; an error on an empty RDD ("empty collection"), as Spark. */
  default T first() {
    List<T> one = rdd().take(1);
    if (one.isEmpty()) {
      throw new UnsupportedOperationException("empty collection");
    }
    return one.get(0);
  }

  default List<T> take(int num) {
    return rdd().take(num);
  }

  /** {@code num} elements drawn at random (see {@link #takeSample(boolean, int, long)}). */
  default List<T> takeSample(boolean withReplacement, int num) {
    return takeSample(withReplacement, num, System.nanoTime());
  }

  /**
   * Spark's takeSample: {@code num} elements drawn at random, in random order; without replacement each element
   * at most once (all of them, shuffled, when there are fewer); a seed repeats a sample (not Spark's).
   */
  default List<T> takeSample(boolean withReplacement, int num, long seed) {
    return RddOps.takeSample(rdd(), withReplacement, num, seed);
  }

  /** The {@code num} smallest elements in their natural order, smallest first. */
  default List<T> takeOrdered(int num) {
    return RddOps.takeOrdered(rdd(), num, JavaRDDLike.natural());
  }

  default List<T> takeOrdered(int num, Comparator<T> comp) {
    return RddOps.takeOrdered(rdd(), num, comp);
  }

  /** The {@code num} largest elements in their natural order, largest first. */
  default List<T> top(int num) {
    return RddOps.takeOrdered(rdd(), num, JavaRDDLike.<T>natural().reversed());
  }

  default List<T> top(int num, Comparator<T> comp) {
    return RddOps.takeOrdered(rdd(), num, comp.reversed());
  }

  default T max(Comparator<T> comp) {
    return reduce((a, b) -> comp.compare(a, b) >= 0 ? a : b);
  }

  default T min(Comparator<T> comp) {
    return reduce((a, b) -> comp.compare(a, b) <= 0 ? a : b);
  }

  /** {@code f} over all elements; an error on an empty RDD ("empty collection"), as Spark. */
  default T reduce(Function2<T, T, T> f) {
    return rdd().reduce(f);
  }

  default T fold(T zeroValue, Function2<T, T, T> f) {
    return RddOps.fold(rdd(), zeroValue, f);
  }

  default <U> U aggregate(U zeroValue, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
    return RddOps.aggregate(rdd(), zeroValue, seqOp, combOp);
  }

  default boolean isEmpty() {
    return rdd().isEmpty();
  }

  /** {@code f} of each element, partitions in order, one at a time. */
  default void foreach(VoidFunction<T> f) {
    RDD<T> r = rdd();
    for (int i = 0; i < r.numPartitions(); i++) {
      for (Iterator<T> it = r.iterator(i); it.hasNext(); ) {
        T t = it.next();
        RDD.call(() -> {
          f.call(t);
          return null;
        });
      }
    }
  }

  /** {@code f} of each partition's elements, partitions in order, one at a time. */
  default void foreachPartition(VoidFunction<Iterator<T>> f) {
    RDD<T> r = rdd();
    for (int i = 0; i < r.numPartitions(); i++) {
      Iterator<T> it = r.iterator(i);
      RDD.call(() -> {
        f.call(it);
        return null;
      });
    }
  }

  /**
   * Writes the elements as text, one per line ({@code toString}), into a directory {@code path} with a
   * {@code part-NNNNN} file per partition and an empty {@code _SUCCESS} file, as Spark does; an error if the
   * directory exists.
   */
  default void saveAsTextFile(String path) {
    TextFiles.save(rdd(), path);
  }

  default int getNumPartitions() {
    return rdd().numPartitions();
  }

  /** The natural order of elements that are {@link Comparable}, as Spark's {@code Ordering.natural}. */
  @SuppressWarnings("unchecked")
  private static <T> Comparator<T> natural() {
    return (a, b) -> ((Comparable<Object>) a).compareTo(b);
  }
}
