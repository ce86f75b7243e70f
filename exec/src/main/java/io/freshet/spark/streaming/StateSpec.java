package io.freshet.spark.streaming;

import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.Optional;
import io.freshet.spark.api.java.function.Function3;
import io.freshet.spark.api.java.function.Function4;

/** Spark's {@code StateSpec}: mapWithState's function, initial state, partitions and timeout. */
public final class StateSpec<K, V, S, M> implements java.io.Serializable {
  private final transient Function4<Time, K, Optional<V>, State<S>, Optional<M>> function;
  private transient JavaPairRDD<K, S> initialState;
  private int numPartitions;
  private Duration timeout;

  private StateSpec(Function4<Time, K, Optional<V>, State<S>, Optional<M>> function) {
    this.function = function;
  }

  public static <K, V, S, M> StateSpec<K, V, S, M> function(
      Function4<Time, K, Optional<V>, State<S>, Optional<M>> mappingFunction) {
    return new StateSpec<>(mappingFunction);
  }

  public static <K, V, S, M> StateSpec<K, V, S, M> function(
      Function3<K, Optional<V>, State<S>, M> mappingFunction) {
    return new StateSpec<>((time, k, v, s) -> Optional.ofNullable(mappingFunction.call(k, v, s)));
  }

  public StateSpec<K, V, S, M> initialState(JavaPairRDD<K, S> rdd) {
    this.initialState = rdd;
    return this;
  }

  public StateSpec<K, V, S, M> numPartitions(int partitions) {
    this.numPartitions = partitions;
    return this;
  }

  public StateSpec<K, V, S, M> partitioner(io.freshet.spark.Partitioner partitioner) {
    return numPartitions(partitioner.numPartitions());
  }

  /** Keys without data for this long are called once with {@code isTimingOut()}, then removed. */
  public StateSpec<K, V, S, M> timeout(Duration idleDuration) {
    this.timeout = idleDuration;
    return this;
  }

  public Function4<Time, K, Optional<V>, State<S>, Optional<M>> getFunction() {
    return function;
  }

  public JavaPairRDD<K, S> getInitialStateRDD() {
    return initialState;
  }

  public int getNumPartitions() {
    return numPartitions;
  }

  public Duration getTimeoutInterval() {
    return timeout;
  }

  /** In a task's copy of a function that uses it, this very object (it is the program's, not the task's). */
  protected final Object writeReplace() {
    return io.freshet.spark.rdd.Closures.shareInCopies(this);
  }
}
