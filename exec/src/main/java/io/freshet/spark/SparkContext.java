package io.freshet.spark;

import io.freshet.exec.batch.ArrowAccess;
import io.freshet.spark.broadcast.Broadcast;
import io.freshet.spark.util.CollectionAccumulator;
import io.freshet.spark.util.DoubleAccumulator;
import io.freshet.spark.util.LongAccumulator;

/**
 * Spark's {@code SparkContext}, as far as a streaming program uses it: the configuration, accumulators and
 * broadcast variables. Everything runs in this process, so an accumulator is a shared counter and a broadcast
 * variable a shared value; an RDD's partitions run as tasks on the master's worker threads ({@code local[N]}).
 */
public class SparkContext {
  private final SparkConf conf;

  public SparkContext(SparkConf conf) {
    ArrowAccess.require("A Freshet SparkContext");
    this.conf = conf;
    io.freshet.spark.rdd.Tasks.setThreads(conf.workerThreads());
  }

  public SparkConf getConf() {
    return conf.clone();
  }

  public int defaultParallelism() {
    return conf.defaultParallelism();
  }

  public String appName() {
    return conf.get("spark.app.name", "");
  }

  public String master() {
    return conf.get("spark.master", "local[*]");
  }

  public LongAccumulator longAccumulator() {
    return new LongAccumulator();
  }

  public LongAccumulator longAccumulator(String name) {
    return new LongAccumulator(name);
  }

  public DoubleAccumulator doubleAccumulator() {
    return new DoubleAccumulator();
  }

  public DoubleAccumulator doubleAccumulator(String name) {
    return new DoubleAccumulator(name);
  }

  public <T> CollectionAccumulator<T> collectionAccumulator() {
    return new CollectionAccumulator<>();
  }

  public <T> CollectionAccumulator<T> collectionAccumulator(String name) {
    return new CollectionAccumulator<>(name);
  }

  public <T> Broadcast<T> broadcast(T value) {
    return new Broadcast<>(value);
  }

  /**
   * Spark's setLogLevel: one of ALL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARN (any case) for every logger of
   * the process, from now on.
   */
  public void setLogLevel(String logLevel) {
    LogLevels.set(logLevel);
  }

  public void stop() {
  }
}
