package io.freshet.spark.api.java;

import io.freshet.spark.HashPartitioner;
import io.freshet.spark.Partitioner;
import io.freshet.spark.SparkContext;
import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.rdd.PairOps;
import io.freshet.spark.rdd.PairOps.JoinKind;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.rdd.RddOps;
import io.freshet.spark.storage.StorageLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

/**
 * Spark's {@code JavaPairRDD}: one batch's key-value pairs, with what {@link JavaRDDLike} gives every RDD and the
 * keyed operations. A keyed operation without a partition count uses {@code spark.default.parallelism} when the
 * program sets it, else as many partitions as the largest of its inputs has, as Spark's default partitioner does.
 */
public class JavaPairRDD<K, V> implements JavaRDDLike<Tuple2<K, V>, JavaPairRDD<K, V>> {
  private final RDD<Tuple2<K, V>> rdd;
  private final transient SparkContext sc;

  public JavaPairRDD(RDD<Tuple2<K, V>> rdd, JavaSparkContext context) {
    this(rdd, context == null ? null : context.sc());
  }

  JavaPairRDD(RDD<Tuple2<K, V>> rdd, SparkContext sc) {
    this.rdd = rdd;
    this.sc = sc;
  }

  @Override
  public RDD<Tuple2<K, V>> rdd() {
    return rdd;
  }

  @Override
  public JavaPairRDD<K, V> wrapRDD(RDD<Tuple2<K, V>> other) {
    return new JavaPairRDD<>(other, sc);
  }

  @Override
  public SparkContext context() {
    return sc;
  }

  public static <K, V> JavaPairRDD<K, V> fromRDD(RDD<Tuple2<K, V>> rdd) {
    return new JavaPairRDD<>(rdd, (SparkContext) null);
  }

  /** Spark's default partitioner's count for an operation over this RDD and {@code others}. */
  private int defaultPartitions(JavaRDDLike<?, ?>... others) {
    RDD<?>[] inputs = new RDD<?>[others.length + 1];
    inputs[0] = rdd;
    for (int i = 0; i < others.length; i++) {
      inputs[i + 1] = others[i].rdd();
    }
    return DefaultPartitions.of(sc, inputs);
  }

  private <K2, V2> JavaPairRDD<K2, V2> pairs(RDD<Tuple2<K2, V2>> other) {
    return new JavaPairRDD<>(other, sc);
  }

  // ---------------------------------------------------------------- as JavaRDD has them

  public JavaPairRDD<K, V> filter(Function<Tuple2<K, V>, Boolean> f) {
    return wrapRDD(rdd.filter(f));
  }

  public JavaPairRDD<K, V> distinct() {
    return distinct(Math.max(1, rdd.numPartitions()));
  }

  public JavaPairRDD<K, V> distinct(int numPartitions) {
    return wrapRDD(RddOps.distinct(rdd, numPartitions));
  }

  public JavaPairRDD<K, V> union(JavaPairRDD<K, V> other) {
    return wrapRDD(RDD.union(rdd, other.rdd));
  }

  public JavaPairRDD<K, V> intersection(JavaPairRDD<K, V> other) {
    return wrapRDD(RddOps.intersection(rdd, other.rdd, defaultPartitions(other)));
  }

  public JavaPairRDD<K, V> subtract(JavaPairRDD<K, V> other) {
    return subtract(other, Math.max(1, rdd.numPartitions()));
  }

  public JavaPairRDD<K, V> subtract(JavaPairRDD<K, V> other, int numPartitions) {
    return wrapRDD(RddOps.subtract(rdd, other.rdd, numPartitions));
  }

  public JavaPairRDD<K, V> sample(boolean withReplacement, double fraction) {
    return sample(withReplacement, fraction, System.nanoTime());
  }

  public JavaPairRDD<K, V> sample(boolean withReplacement, double fraction, long seed) {
    return wrapRDD(RddOps.sample(rdd, withReplacement, fraction, seed));
  }

  public JavaPairRDD<K, V> coalesce(int numPartitions) {
    return wrapRDD(RddOps.coalesce(rdd, numPartitions));
  }

  public JavaPairRDD<K, V> coalesce(int numPartitions, boolean shuffle) {
    return shuffle ? repartition(numPartitions) : coalesce(numPartitions);
  }

  public JavaPairRDD<K, V> repartition(int numPartitions) {
    return wrapRDD(rdd.repartition(numPartitions));
  }

  /** Keeps the RDD once computed, so that later uses read it instead of computing it again. */
  public JavaPairRDD<K, V> cache() {
    rdd.persist();
    return this;
  }

  public JavaPairRDD<K, V> persist(StorageLevel newLevel) {
    rdd.persist();
    return this;
  }

  /** Accepted: what was kept stays (it is already computed, and the RDD no longer holds what it was made from). */
  public JavaPairRDD<K, V> unpersist() {
    return this;
  }

  public JavaPairRDD<K, V> unpersist(boolean blocking) {
    return this;
  }

  // ---------------------------------------------------------------- keyed

  public JavaPairRDD<K, V> partitionBy(Partitioner partitioner) {
    return wrapRDD(PairOps.partitionBy(rdd, partitioner));
  }

  public <C> JavaPairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, defaultPartitions());
  }

  public <C> JavaPairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, int numPartitions) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, new HashPartitioner(numPartitions));
  }

  public <C> JavaPairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner) {
    return pairs(PairOps.combineByKey(rdd, createCombiner, mergeValue, mergeCombiners, partitioner));
  }

  public JavaPairRDD<K, V> reduceByKey(Function2<V, V, V> func) {
    return reduceByKey(func, defaultPartitions());
  }

  public JavaPairRDD<K, V> reduceByKey(Function2<V, V, V> func, int numPartitions) {
    return reduceByKey(new HashPartitioner(numPartitions), func);
  }

  /** As Spark's: the partitioner comes first here (last in the DStream's reduceByKey). */
  public JavaPairRDD<K, V> reduceByKey(Partitioner partitioner, Function2<V, V, V> func) {
    return wrapRDD(PairOps.reduceByKey(rdd, func, partitioner));
  }

  public JavaPairRDD<K, V> foldByKey(V zeroValue, Function2<V, V, V> func) {
    return foldByKey(zeroValue, defaultPartitions(), func);
  }

  public JavaPairRDD<K, V> foldByKey(V zeroValue, int numPartitions, Function2<V, V, V> func) {
    return foldByKey(zeroValue, new HashPartitioner(numPartitions), func);
  }

  /** Each key's values folded from a copy of {@code zeroValue}. */
  public JavaPairRDD<K, V> foldByKey(V zeroValue, Partitioner partitioner, Function2<V, V, V> func) {
    return aggregateByKey(zeroValue, partitioner, func, func);
  }

  public <U> JavaPairRDD<K, U> aggregateByKey(U zeroValue, Function2<U, V, U> seqFunc, Function2<U, U, U> combFunc) {
    return aggregateByKey(zeroValue, defaultPartitions(), seqFunc, combFunc);
  }

  public <U> JavaPairRDD<K, U> aggregateByKey(U zeroValue, int numPartitions, Function2<U, V, U> seqFunc,
      Function2<U, U, U> combFunc) {
    return aggregateByKey(zeroValue, new HashPartitioner(numPartitions), seqFunc, combFunc);
  }

  /** Each key's values folded by {@code seqFunc} from a copy of {@code zeroValue}. */
  public <U> JavaPairRDD<K, U> aggregateByKey(U zeroValue, Partitioner partitioner, Function2<U, V, U> seqFunc,
      Function2<U, U, U> combFunc) {
    return combineByKey(v -> seqFunc.call(RddOps.copyOf(zeroValue), v), seqFunc, combFunc, partitioner);
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitions());
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey(int numPartitions) {
    return groupByKey(new HashPartitioner(numPartitions));
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    JavaPairRDD<K, List<V>> lists = combineByKey(v -> {
      List<V> l = new ArrayList<>();
      l.add(v);
      return l;
    }, (l, v) -> {
      l.add(v);
      return l;
    }, (a, b) -> {
      a.addAll(b);
      return a;
    }, partitioner);
    return lists.mapValues(l -> (Iterable<V>) java.util.Collections.unmodifiableList(l));
  }

  /** As with a number of partitions, then placed by {@code partitioner}. */
  public <W> JavaPairRDD<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return cogroup(other, partitioner.numPartitions()).placedBy(partitioner);
  }

  public <W> JavaPairRDD<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairRDD<K, W> other) {
    return cogroup(other, defaultPartitions(other));
  }

  public <W> JavaPairRDD<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairRDD<K, W> other, int numPartitions) {
    return pairs(PairOps.cogroup(rdd, other.rdd, numPartitions)
        .map(kv -> new Tuple2<>(kv._1(), new Tuple2<>((Iterable<V>) kv._2()._1(), (Iterable<W>) kv._2()._2()))));
  }

  /** For each key of any of the three, its values in each (Spark's cogroup with two others). */
  public <W1, W2> JavaPairRDD<K, scala.Tuple3<Iterable<V>, Iterable<W1>, Iterable<W2>>> cogroup(
      JavaPairRDD<K, W1> other1, JavaPairRDD<K, W2> other2) {
    return cogroup(other1, other2, defaultPartitions(other1, other2));
  }

  public <W1, W2> JavaPairRDD<K, scala.Tuple3<Iterable<V>, Iterable<W1>, Iterable<W2>>> cogroup(
      JavaPairRDD<K, W1> other1, JavaPairRDD<K, W2> other2, Partitioner partitioner) {
    return cogroup(other1, other2, partitioner.numPartitions()).placedBy(partitioner);
  }

  @SuppressWarnings("unchecked")
  public <W1, W2> JavaPairRDD<K, scala.Tuple3<Iterable<V>, Iterable<W1>, Iterable<W2>>> cogroup(
      JavaPairRDD<K, W1> other1, JavaPairRDD<K, W2> other2, int numPartitions) {
    return pairs(cogroupAll(numPartitions, other1, other2).map(kv -> new Tuple2<>(kv._1(), new scala.Tuple3<>(
        (Iterable<V>) kv._2().get(0), (Iterable<W1>) kv._2().get(1), (Iterable<W2>) kv._2().get(2)))));
  }

  /** For each key of any of the four, its values in each (Spark's cogroup with three others). */
  public <W1, W2, W3> JavaPairRDD<K, scala.Tuple4<Iterable<V>, Iterable<W1>, Iterable<W2>, Iterable<W3>>> cogroup(
      JavaPairRDD<K, W1> other1, JavaPairRDD<K, W2> other2, JavaPairRDD<K, W3> other3) {
    return cogroup(other1, other2, other3, defaultPartitions(other1, other2, other3));
  }

  public <W1, W2, W3> JavaPairRDD<K, scala.Tuple4<Iterable<V>, Iterable<W1>, Iterable<W2>, Iterable<W3>>> cogroup(
      JavaPairRDD<K, W1> other1, JavaPairRDD<K, W2> other2, JavaPairRDD<K, W3> other3, Partitioner partitioner) {
    return cogroup(other1, other2, other3, partitioner.numPartitions()).placedBy(partitioner);
  }

  @SuppressWarnings("unchecked")
  public <W1, W2, W3> JavaPairRDD<K, scala.Tuple4<Iterable<V>, Iterable<W1>, Iterable<W2>, Iterable<W3>>> cogroup(
      JavaPairRDD<K, W1> other1, JavaPairRDD<K, W2> other2, JavaPairRDD<K, W3> other3, int numPartitions) {
    return pairs(cogroupAll(numPartitions, other1, other2, other3).map(kv -> new Tuple2<>(kv._1(),
        new scala.Tuple4<>((Iterable<V>) kv._2().get(0), (Iterable<W1>) kv._2().get(1),
            (Iterable<W2>) kv._2().get(2), (Iterable<W3>) kv._2().get(3)))));
  }

  /** This RDD's and the others' values of each key, a list per RDD in their order. */
  @SafeVarargs
  @SuppressWarnings({"unchecked", "rawtypes"})
  private RDD<Tuple2<K, List<List<Object>>>> cogroupAll(int numPartitions, JavaPairRDD<K, ?>... others) {
    List<RDD<Tuple2<K, Object>>> all = new java.util.ArrayList<>();
    all.add((RDD) rdd);
    for (JavaPairRDD<K, ?> o : others) {
      all.add((RDD) o.rdd);
    }
    return RDD.cogroup(all, numPartitions);
  }

  /** As with a number of partitions, then placed by {@code partitioner}. */
  public <W> JavaPairRDD<K, Tuple2<V, W>> join(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return join(other, partitioner.numPartitions()).placedBy(partitioner);
  }

  public <W> JavaPairRDD<K, Tuple2<V, W>> join(JavaPairRDD<K, W> other) {
    return join(other, defaultPartitions(other));
  }

  public <W> JavaPairRDD<K, Tuple2<V, W>> join(JavaPairRDD<K, W> other, int numPartitions) {
    return pairs(PairOps.join(rdd, other.rdd, numPartitions, JoinKind.INNER));
  }

  /** As with a number of partitions, then placed by {@code partitioner}. */
  public <W> JavaPairRDD<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return leftOuterJoin(other, partitioner.numPartitions()).placedBy(partitioner);
  }

  public <W> JavaPairRDD<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairRDD<K, W> other) {
    return leftOuterJoin(other, defaultPartitions(other));
  }

  public <W> JavaPairRDD<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairRDD<K, W> other, int numPartitions) {
    return pairs(PairOps.join(rdd, other.rdd, numPartitions, JoinKind.LEFT)
        .map(kv -> new Tuple2<>(kv._1(), new Tuple2<>(kv._2()._1(), Optional.ofNullable(kv._2()._2())))));
  }

  /** As with a number of partitions, then placed by {@code partitioner}. */
  public <W> JavaPairRDD<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return rightOuterJoin(other, partitioner.numPartitions()).placedBy(partitioner);
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairRDD<K, W> other) {
    return rightOuterJoin(other, defaultPartitions(other));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairRDD<K, W> other, int numPartitions) {
    return pairs(PairOps.join(rdd, other.rdd, numPartitions, JoinKind.RIGHT)
        .map(kv -> new Tuple2<>(kv._1(), new Tuple2<>(Optional.ofNullable(kv._2()._1()), kv._2()._2()))));
  }

  /** As with a number of partitions, then placed by {@code partitioner}. */
  public <W> JavaPairRDD<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return fullOuterJoin(other, partitioner.numPartitions()).placedBy(partitioner);
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairRDD<K, W> other) {
    return fullOuterJoin(other, defaultPartitions(other));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairRDD<K, W> other,
      int numPartitions) {
    return pairs(PairOps.join(rdd, other.rdd, numPartitions, JoinKind.FULL).map(kv -> new Tuple2<>(kv._1(),
        new Tuple2<>(Optional.ofNullable(kv._2()._1()), Optional.ofNullable(kv._2()._2())))));
  }

  public <W> JavaPairRDD<K, V> subtractByKey(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return subtractByKey(other, partitioner.numPartitions()).placedBy(partitioner);
  }

  /** This RDD, which is placed by hash, placed by {@code partitioner} instead (nothing to do for a hash one). */
  private JavaPairRDD<K, V> placedBy(Partitioner partitioner) {
    return partitioner instanceof HashPartitioner ? this : partitionBy(partitioner);
  }

  public <W> JavaPairRDD<K, V> subtractByKey(JavaPairRDD<K, W> other) {
    return subtractByKey(other, Math.max(1, rdd.numPartitions()));
  }

  public <W> JavaPairRDD<K, V> subtractByKey(JavaPairRDD<K, W> other, int numPartitions) {
    return wrapRDD(PairOps.subtractByKey(rdd, other.rdd, numPartitions));
  }

  public JavaRDD<K> keys() {
    return new JavaRDD<>(rdd.map(Tuple2::_1), sc);
  }

  public JavaRDD<V> values() {
    return new JavaRDD<>(rdd.map(Tuple2::_2), sc);
  }

  public <U> JavaPairRDD<K, U> mapValues(Function<V, U> f) {
    return pairs(rdd.map(kv -> new Tuple2<>(kv._1(), f.call(kv._2()))));
  }

  public <U> JavaPairRDD<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    return pairs(rdd.flatMap(kv -> {
      List<Tuple2<K, U>> out = new ArrayList<>();
      f.call(kv._2()).forEachRemaining(u -> out.add(new Tuple2<>(kv._1(), u)));
      return out.iterator();
    }));
  }

  /** Sorted by key in its natural order, ascending, in as many partitions as this RDD has. */
  public JavaPairRDD<K, V> sortByKey() {
    return sortByKey(true);
  }

  public JavaPairRDD<K, V> sortByKey(boolean ascending) {
    return sortByKey(ascending, Math.max(1, rdd.numPartitions()));
  }

  @SuppressWarnings("unchecked")
  public JavaPairRDD<K, V> sortByKey(boolean ascending, int numPartitions) {
    return sortByKey((Comparator<K>) (a, b) -> ((Comparable<Object>) a).compareTo(b), ascending, numPartitions);
  }

  public JavaPairRDD<K, V> sortByKey(Comparator<K> comp) {
    return sortByKey(comp, true);
  }

  public JavaPairRDD<K, V> sortByKey(Comparator<K> comp, boolean ascending) {
    return sortByKey(comp, ascending, Math.max(1, rdd.numPartitions()));
  }

  public JavaPairRDD<K, V> sortByKey(Comparator<K> comp, boolean ascending, int numPartitions) {
    return wrapRDD(PairOps.sortByKey(rdd, comp, ascending, numPartitions));
  }

  /** How many pairs each key has, keys in the order first seen. */
  public Map<K, Long> countByKey() {
    return RddOps.countByValue(rdd.map(Tuple2::_1));
  }

  /** The pairs as a map; of several values of a key, the last is kept. */
  public Map<K, V> collectAsMap() {
    Map<K, V> m = new LinkedHashMap<>();
    for (Tuple2<K, V> kv : rdd.collect()) {
      m.put(kv._1(), kv._2());
    }
    return m;
  }

  public List<V> lookup(K key) {
    return PairOps.lookup(rdd, key);
  }

  @Override
  public String toString() {
    return "JavaPairRDD" + rdd.partitions();
  }

  /** In a task's copy of a function that uses it, this very object (it is the program's, not the task's). */
  protected final Object writeReplace() {
    return io.freshet.spark.rdd.Closures.shareInCopies(this);
  }
}
