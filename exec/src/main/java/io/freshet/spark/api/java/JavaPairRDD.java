package io.freshet.spark.api.java;

import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.api.java.function.PairFunction;
import io.freshet.spark.api.java.function.VoidFunction;
import io.freshet.spark.rdd.RDD;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

/** Spark's {@code JavaPairRDD}: one batch's key-value pairs. */
public class JavaPairRDD<K, V> implements java.io.Serializable {
  private final RDD<Tuple2<K, V>> rdd;
  private final transient JavaSparkContext context;

  public JavaPairRDD(RDD<Tuple2<K, V>> rdd, JavaSparkContext context) {
    this.rdd = rdd;
    this.context = context;
  }

  public RDD<Tuple2<K, V>> rdd() {
    return rdd;
  }

  /** The context the RDD belongs to, as Spark's {@code rdd.context()}. */
  public io.freshet.spark.SparkContext context() {
    return context == null ? null : context.sc();
  }

  public static <K, V> JavaPairRDD<K, V> fromRDD(RDD<Tuple2<K, V>> rdd) {
    return new JavaPairRDD<>(rdd, null);
  }

  private int parallelism() {
    return context != null ? context.defaultParallelism() : Math.max(1, rdd.numPartitions());
  }

  public JavaPairRDD<K, V> reduceByKey(Function2<V, V, V> f) {
    return reduceByKey(f, parallelism());
  }

  public JavaPairRDD<K, V> reduceByKey(Function2<V, V, V> f, int numPartitions) {
    return new JavaPairRDD<>(RDD.reduceByKey(rdd, f, numPartitions), context);
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey() {
    return groupByKey(parallelism());
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey(int numPartitions) {
    return new JavaPairRDD<>(RDD.groupByKey(rdd, numPartitions).map(kv -> new Tuple2<>(kv._1(), (Iterable<V>) kv._2())),
        context);
  }

  public <U> JavaPairRDD<K, U> mapValues(Function<V, U> f) {
    return new JavaPairRDD<>(rdd.map(kv -> new Tuple2<>(kv._1(), f.call(kv._2()))), context);
  }

  public <U> JavaPairRDD<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    return new JavaPairRDD<>(rdd.flatMap(kv -> {
      List<Tuple2<K, U>> out = new ArrayList<>();
      f.call(kv._2()).forEachRemaining(u -> out.add(new Tuple2<>(kv._1(), u)));
      return out.iterator();
    }), context);
  }

  public <R> JavaRDD<R> map(Function<Tuple2<K, V>, R> f) {
    return new JavaRDD<>(rdd.map(f), context);
  }

  public <K2, V2> JavaPairRDD<K2, V2> mapToPair(PairFunction<Tuple2<K, V>, K2, V2> f) {
    return new JavaPairRDD<>(rdd.map(f::call), context);
  }

  public JavaPairRDD<K, V> filter(Function<Tuple2<K, V>, Boolean> f) {
    return new JavaPairRDD<>(rdd.filter(f), context);
  }

  public JavaPairRDD<K, V> union(JavaPairRDD<K, V> other) {
    return new JavaPairRDD<>(RDD.union(rdd, other.rdd), context);
  }

  public JavaRDD<K> keys() {
    return new JavaRDD<>(rdd.map(Tuple2::_1), context);
  }

  public JavaRDD<V> values() {
    return new JavaRDD<>(rdd.map(Tuple2::_2), context);
  }

  public JavaPairRDD<K, V> cache() {
    return this;
  }

  public int getNumPartitions() {
    return rdd.numPartitions();
  }

  public List<Tuple2<K, V>> collect() {
    return rdd.collect();
  }

  public Map<K, V> collectAsMap() {
    Map<K, V> m = new LinkedHashMap<>();
    for (Tuple2<K, V> kv : rdd.collect()) {
      m.put(kv._1(), kv._2());
    }
    return m;
  }

  public long count() {
    return rdd.count();
  }

  public List<Tuple2<K, V>> take(int num) {
    return rdd.take(num);
  }

  public Tuple2<K, V> first() {
    List<Tuple2<K, V>> one = rdd.take(1);
    if (one.isEmpty()) {
      throw new UnsupportedOperationException("empty collection");
    }
    return one.get(0);
  }

  public boolean isEmpty() {
    return rdd.isEmpty();
  }

  public void foreach(VoidFunction<Tuple2<K, V>> f) {
    for (Tuple2<K, V> kv : rdd.collect()) {
      RDD.call(() -> {
        f.call(kv);
        return null;
      });
    }
  }

  public void saveAsTextFile(String path) {
    TextFiles.save(rdd, path);
  }

  @Override
  public String toString() {
    return "JavaPairRDD" + rdd.partitions();
  }
}
