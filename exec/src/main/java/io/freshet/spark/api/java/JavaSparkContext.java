package io.freshet.spark.api.java;

import io.freshet.spark.SparkConf;
import io.freshet.spark.SparkContext;
import io.freshet.spark.rdd.RDD;
import java.util.ArrayList;
import java.util.List;
import scala.Tuple2;

/**
 * Spark's {@code JavaSparkContext}, as far as a streaming program uses it: making RDDs from lists and text files,
 * broadcast variables (accumulators come from {@link #sc()}, as in Spark 3), the configuration and the log level.
 */
public class JavaSparkContext implements java.io.Closeable {
  private final SparkConf conf;
  private final SparkContext sc;

  public JavaSparkContext(SparkConf conf) {
    this(new SparkContext(conf));
  }

  public JavaSparkContext(String master, String appName) {
    this(new SparkConf().setMaster(master).setAppName(appName));
  }

  /** The Java face of a context, as in Spark's singleton pattern {@code new JavaSparkContext(rdd.context())}. */
  public JavaSparkContext(SparkContext sc) {
    this.sc = sc;
    this.conf = sc.getConf();
  }

  public static JavaSparkContext fromSparkContext(SparkContext sc) {
    return new JavaSparkContext(sc);
  }

  public SparkContext sc() {
    return sc;
  }

  /** Spark's setLogLevel (see {@link SparkContext#setLogLevel}). */
  public void setLogLevel(String logLevel) {
    sc.setLogLevel(logLevel);
  }

  public <T> io.freshet.spark.broadcast.Broadcast<T> broadcast(T value) {
    return sc.broadcast(value);
  }

  public SparkConf getConf() {
    return conf.clone();
  }

  /** As Spark's Java API, an {@code Integer}. */
  public Integer defaultParallelism() {
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

  /** An RDD without partitions. */
  public <T> JavaRDD<T> emptyRDD() {
    return new JavaRDD<>(RDD.empty(), this);
  }

  /** The partitions of all, in order (Spark 3's only form of union). */
  @SafeVarargs
  public final <T> JavaRDD<T> union(JavaRDD<T>... rdds) {
    requireSome(rdds.length);
    List<RDD<T>> all = new ArrayList<>(rdds.length);
    for (JavaRDD<T> r : rdds) {
      all.add(r.rdd());
    }
    return new JavaRDD<>(RDD.union(all), this);
  }

  @SafeVarargs
  public final <K, V> JavaPairRDD<K, V> union(JavaPairRDD<K, V>... rdds) {
    requireSome(rdds.length);
    List<RDD<Tuple2<K, V>>> all = new ArrayList<>(rdds.length);
    for (JavaPairRDD<K, V> r : rdds) {
      all.add(r.rdd());
    }
    return new JavaPairRDD<>(RDD.union(all), this);
  }

  /** Spark refuses a union of nothing, with this message. */
  private static void requireSome(int count) {
    if (count == 0) {
      throw new IllegalArgumentException("requirement failed: Union called on no RDDs");
    }
  }

  /** Spark's defaultMinPartitions: at most 2. */
  public int defaultMinPartitions() {
    return Math.min(defaultParallelism(), 2);
  }

  /**
   * The lines of a file, of a directory's files or of a comma-separated list of them, UTF-8, in Hadoop's splits
   * as Spark's textFile makes them.
   */
  public JavaRDD<String> textFile(String path) {
    return textFile(path, defaultMinPartitions());
  }

  public JavaRDD<String> textFile(String path, int minPartitions) {
    return new JavaRDD<>(TextFiles.lines(path, minPartitions), this);
  }

  /** Each file's URI ({@code file:/...}) and whole text. */
  public JavaPairRDD<String, String> wholeTextFiles(String path) {
    return wholeTextFiles(path, defaultMinPartitions());
  }

  public JavaPairRDD<String, String> wholeTextFiles(String path, int minPartitions) {
    return new JavaPairRDD<>(TextFiles.whole(path, minPartitions), this);
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

  @Override
  public void close() {
    stop();
  }
}
