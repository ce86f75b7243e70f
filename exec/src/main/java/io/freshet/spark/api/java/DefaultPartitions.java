package io.freshet.spark.api.java;

import io.freshet.spark.SparkContext;
import io.freshet.spark.rdd.RDD;

/**
 * Spark's default partitioner's number of partitions for a keyed operation: {@code spark.default.parallelism} when
 * the program sets it, else the most partitions of the operation's inputs.
 */
final class DefaultPartitions {
  private DefaultPartitions() {
  }

  static int of(SparkContext sc, RDD<?>... inputs) {
    if (sc != null && sc.getConf().contains("spark.default.parallelism")) {
      return sc.defaultParallelism();
    }
    int n = 1;
    for (RDD<?> r : inputs) {
      n = Math.max(n, r.numPartitions());
    }
    return n;
  }
}
