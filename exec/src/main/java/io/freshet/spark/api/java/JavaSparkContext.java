package io.freshet.spark.api.java;

import io.freshet.spark.SparkConf;
import io.freshet.spark.SparkContext;
import io.freshet.spark.rdd.RDD;
import java.util.List;
import scala.Tuple2;

/** Spark's {@code JavaSparkContext}, as far as a streaming program uses it: making RDDs from lists. */
public class JavaSparkContext {
  private final SparkConf conf;
  private final SparkContext sc;

  public JavaSparkContext(SparkConf conf) {
    this(new SparkContext(conf));
  }

  /** The Java face of a context, as in Spark's singleton pattern {@code new JavaSparkContext(rdd.context())}. */
  public JavaSparkContext(SparkContext sc) {
    this.sc = sc;
    this.conf = sc.getConf();
  }

  public SparkContext sc() {
    return sc;
  }

  public <T> io.freshet.spark.broadcast.Broadcast<T> broadcast(T value) {
    return sc.broadcast(value);
  }

  public SparkConf getConf() {
    return conf.clone();
  }

  public int defaultParallelism() {
    return conf.defaultParallelism();
  }

  public <T> JavaRDD<T> parallelize(List<T> list) {
    return parallelize(list, defaultParallelism());
  }

  public <T> JavaRDD<T> parallelize(List<T> list, int numSlices) {
    return new JavaRDD<>(RDD.parallelize(list, numSlices), this);
  }

  public <K, V> JavaPairRDD<K, V> parallelizePairs(List<Tuple2<K, V>> list) {
    return parallelizePairs(list, defaultParallelism());
  }

  public <K, V> JavaPairRDD<K, V> parallelizePairs(List<Tuple2<K, V>> list, int numSlices) {
    return new JavaPairRDD<>(RDD.parallelize(list, numSlices), this);
  }

  public <T> JavaRDD<T> emptyRDD() {
    return new JavaRDD<>(RDD.empty(), this);
  }

  public String appName() {
    return conf.get("spark.app.name", "");
  }

  public String master() {
    return conf.get("spark.master", "local[*]");
  }

  /** Nothing to release: the data lives in the program's memory. */
  public void stop() {
  }

  public void close() {
    stop();
  }
}
