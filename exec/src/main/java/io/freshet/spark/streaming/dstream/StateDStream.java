package io.freshet.spark.streaming.dstream;

import io.freshet.spark.api.java.Optional;
import io.freshet.spark.api.java.function.Function2;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Time;
import java.util.ArrayList;
import java.util.List;
import scala.Tuple2;

/**
 * {@code updateStateByKey}: each batch, the update function runs for every key that has state or new values,
 * with the batch's values (empty when none) and the previous state; an absent result removes the key. The first
 * batch starts from the initial RDD, if any. Needs a checkpoint directory, as in Spark.
 */
public final class StateDStream<K, V, S> extends StatefulDStream<Tuple2<K, V>, Tuple2<K, S>> {
  private final transient Function2<List<V>, Optional<S>, Optional<S>> update;
  private final int partitions;
  private final transient RDD<Tuple2<K, S>> initial;

  public StateDStream(DStream<Tuple2<K, V>> parent, Function2<List<V>, Optional<S>, Optional<S>> update,
      int partitions, RDD<Tuple2<K, S>> initial) {
    super(parent);
    this.update = update;
    this.partitions = partitions;
    this.initial = initial;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected RDD<Tuple2<K, S>> compute(Time validTime) {
    RDD<Tuple2<K, S>> previous = getOrCompute(validTime.minus(slideDuration()));
    if (previous == null) {
      previous = initial == null ? RDD.empty() : initial;
    }
    RDD<Tuple2<K, V>> batch = parent.getOrCompute(validTime);
    List<RDD<Tuple2<K, Object>>> both = new ArrayList<>();
    both.add((RDD<Tuple2<K, Object>>) (RDD<?>) previous);
    both.add((RDD<Tuple2<K, Object>>) (RDD<?>) (batch == null ? RDD.empty() : batch));
    RDD<Tuple2<K, List<List<Object>>>> grouped = RDD.cogroup(both, partitions);
    java.util.function.Supplier<Function2<List<V>, Optional<S>, Optional<S>>> updates =
        io.freshet.spark.rdd.Closures.perTask(update);
    return grouped.mapPartitions(part -> {
      Function2<List<V>, Optional<S>, Optional<S>> own = updates.get(); // this task's own copy
      List<Tuple2<K, S>> out = new ArrayList<>();
      for (Tuple2<K, List<List<Object>>> kv : part) {
        List<Object> states = kv._2().get(0);
        Optional<S> before = states.isEmpty() ? Optional.empty() : Optional.of((S) states.get(0));
        List<V> values = (List<V>) (List<?>) kv._2().get(1);
        Optional<S> after = RDD.call(() -> own.call(values, before));
        if (after != null && after.isPresent()) {
          out.add(new Tuple2<>(kv._1(), after.get()));
        }
      }
      return out;
    });
  }
}
