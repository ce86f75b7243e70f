package io.freshet.spark.api.java;

import io.freshet.spark.SparkContext;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.rdd.RddOps;
import io.freshet.spark.storage.StorageLevel;

/**
 * Spark's {@code JavaRDD}: one batch's elements, with the transformations and actions programs use on them (those
 * it shares with {@link JavaPairRDD} are in {@link JavaRDDLike}). The set operations place elements by hash, as
 * Spark's shuffle does, in the order first seen.
 */
public class JavaRDD<T> implements JavaRDDLike<T, JavaRDD<T>> {
  private final RDD<T> rdd;
  private final transient SparkContext sc;

  public JavaRDD(RDD<T> rdd, JavaSparkContext context) {
    this(rdd, context == null ? null : context.sc());
  }

  JavaRDD(RDD<T> rdd, SparkContext sc) {
    this.rdd = rdd;
    this.sc = sc;
  }

  @Override
  public RDD<T> rdd() {
    return rdd;
  }

  @Override
  public JavaRDD<T> wrapRDD(RDD<T> other) {
    return new JavaRDD<>(other, sc);
  }

  @Override
  public SparkContext context() {
    return sc;
  }

  public static <T> JavaRDD<T> fromRDD(RDD<T> rdd) {
    return new JavaRDD<>(rdd, (SparkContext) null);
  }

  public JavaRDD<T> filter(Function<T, Boolean> f) {
    return wrapRDD(rdd.filter(f));
  }

  /** Each element once, in as many partitions as this RDD has. */
  public JavaRDD<T> distinct() {
    return distinct(Math.max(1, rdd.numPartitions()));
  }

  public JavaRDD<T> distinct(int numPartitions) {
    return wrapRDD(RddOps.distinct(rdd, numPartitions));
  }

  /** This RDD's partitions, then the other's; duplicates are kept. */
  public JavaRDD<T> union(JavaRDD<T> other) {
    return wrapRDD(RDD.union(rdd, other.rdd));
  }

  /** The elements of both, each once. */
  public JavaRDD<T> intersection(JavaRDD<T> other) {
    return wrapRDD(RddOps.intersection(rdd, other.rdd, DefaultPartitions.of(sc, rdd, other.rdd)));
  }

  /** The elements of this RDD that the other does not hold (duplicates kept), in as many partitions as this. */
  public JavaRDD<T> subtract(JavaRDD<T> other) {
    return subtract(other, Math.max(1, rdd.numPartitions()));
  }

  public JavaRDD<T> subtract(JavaRDD<T> other, int numPartitions) {
    return wrapRDD(RddOps.subtract(rdd, other.rdd, numPartitions));
  }

  /** Sorted by {@code f}'s key (natural order), ties in their order, in {@code numPartitions} ranges. */
  public <S> JavaRDD<T> sortBy(Function<T, S> f, boolean ascending, int numPartitions) {
    return wrapRDD(RddOps.sortBy(rdd, f, ascending, numPartitions));
  }

  /** A random sample (see {@link RddOps#sample}) from a seed of the clock. */
  public JavaRDD<T> sample(boolean withReplacement, double fraction) {
    return sample(withReplacement, fraction, System.nanoTime());
  }

  public JavaRDD<T> sample(boolean withReplacement, double fraction, long seed) {
    return wrapRDD(RddOps.sample(rdd, withReplacement, fraction, seed));
  }

  /** At most {@code numPartitions} partitions, joining neighbours, without moving elements between them. */
  public JavaRDD<T> coalesce(int numPartitions) {
    return wrapRDD(RddOps.coalesce(rdd, numPartitions));
  }

  public JavaRDD<T> coalesce(int numPartitions, boolean shuffle) {
    return shuffle ? repartition(numPartitions) : coalesce(numPartitions);
  }

  /** The elements dealt round-robin over {@code numPartitions} partitions. */
  public JavaRDD<T> repartition(int numPartitions) {
    return wrapRDD(rdd.repartition(numPartitions));
  }

  /** Keeps the RDD once computed, so that later uses read it instead of computing it again. */
  public JavaRDD<T> cache() {
    rdd.persist();
    return this;
  }

  public JavaRDD<T> persist(StorageLevel newLevel) {
    rdd.persist();
    return this;
  }

  /** Accepted: what was kept stays (it is already computed, and the RDD no longer holds what it was made from). */
  public JavaRDD<T> unpersist() {
    return this;
  }

  public JavaRDD<T> unpersist(boolean blocking) {
    return this;
  }

  @Override
  public String toString() {
    return "JavaRDD" + rdd.partitions();
  }

  /** In a task's copy of a function that uses it, this very object (it is the program's, not the task's). */
  protected final Object writeReplace() {
    return io.freshet.spark.rdd.Closures.shareInCopies(this);
  }
}
