package io.freshet.spark.api.java;

import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.api.java.function.PairFlatMapFunction;
import io.freshet.spark.api.java.function.PairFunction;
import io.freshet.spark.api.java.function.VoidFunction;
import io.freshet.spark.rdd.RDD;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spark's {@code JavaRDD}: one batch's elements, with the transformations and actions programs use on them. */
public class JavaRDD<T> implements java.io.Serializable {
  private final RDD<T> rdd;
  private final transient JavaSparkContext context;

  public JavaRDD(RDD<T> rdd, JavaSparkContext context) {
    this.rdd = rdd;
    this.context = context;
  }

  public RDD<T> rdd() {
    return rdd;
  }

  /** The context the RDD belongs to, as Spark's {@code rdd.context()}. */
  public io.freshet.spark.SparkContext context() {
    return context == null ? null : context.sc();
  }

  public static <T> JavaRDD<T> fromRDD(RDD<T> rdd) {
    return new JavaRDD<>(rdd, null);
  }

  public <R> JavaRDD<R> map(Function<T, R> f) {
    return new JavaRDD<>(rdd.map(f), context);
  }

  public JavaRDD<T> filter(Function<T, Boolean> f) {
    return new JavaRDD<>(rdd.filter(f), context);
  }

  public <U> JavaRDD<U> flatMap(FlatMapFunction<T, U> f) {
    return new JavaRDD<>(rdd.flatMap(f), context);
  }

  public <K2, V2> JavaPairRDD<K2, V2> mapToPair(PairFunction<T, K2, V2> f) {
    return new JavaPairRDD<>(rdd.map(f::call), context);
  }

  public <K2, V2> JavaPairRDD<K2, V2> flatMapToPair(PairFlatMapFunction<T, K2, V2> f) {
    return new JavaPairRDD<>(rdd.flatMap(f::call), context);
  }

  public <U> JavaRDD<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    return new JavaRDD<>(rdd.mapPartitionsWith(f), context);
  }

  public JavaRDD<T> union(JavaRDD<T> other) {
    return new JavaRDD<>(RDD.union(rdd, other.rdd), context);
  }

  public JavaRDD<List<T>> glom() {
    return new JavaRDD<>(rdd.glom(), context);
  }

  public JavaRDD<T> repartition(int numPartitions) {
    return new JavaRDD<>(rdd.repartition(numPartitions), context);
  }

  public JavaRDD<T> coalesce(int numPartitions) {
    return repartition(numPartitions);
  }

  public JavaRDD<T> cache() {
    return this;
  }

  public JavaRDD<T> persist(Object storageLevel) {
    return this;
  }

  public int getNumPartitions() {
    return rdd.numPartitions();
  }

  public List<T> collect() {
    return rdd.collect();
  }

  public long count() {
    return rdd.count();
  }

  public List<T> take(int num) {
    return rdd.take(num);
  }

  /** The first element; an error on an empty RDD ("empty collection"), as Spark. */
  public T first() {
    List<T> one = rdd.take(1);
    if (one.isEmpty()) {
      throw new UnsupportedOperationException("empty collection");
    }
    return one.get(0);
  }

  public boolean isEmpty() {
    return rdd.isEmpty();
  }

  public T reduce(Function2<T, T, T> f) {
    return rdd.reduce(f);
  }

  public Map<T, Long> countByValue() {
    Map<T, Long> counts = new LinkedHashMap<>();
    for (T t : rdd.collect()) {
      counts.merge(t, 1L, Long::sum);
    }
    return counts;
  }

  public void foreach(VoidFunction<T> f) {
    for (T t : rdd.collect()) {
      RDD.call(() -> {
        f.call(t);
        return null;
      });
    }
  }

  public void foreachPartition(VoidFunction<Iterator<T>> f) {
    for (List<T> p : rdd.partitions()) {
      RDD.call(() -> {
        f.call(p.iterator());
        return null;
      });
    }
  }

  /**
   * Writes the elements as text, one per line ({@code toString}), into a directory {@code path} with a
   * {@code part-NNNNN} file per partition and an empty {@code _SUCCESS} file, as Spark does.
   */
  public void saveAsTextFile(String path) {
    TextFiles.save(rdd, path);
  }

  @Override
  public String toString() {
    return "JavaRDD" + rdd.partitions();
  }
}
