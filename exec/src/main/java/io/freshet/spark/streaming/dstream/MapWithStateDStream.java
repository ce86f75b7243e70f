package io.freshet.spark.streaming.dstream;

import io.freshet.spark.api.java.Optional;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.State;
import io.freshet.spark.streaming.StateSpec;
import io.freshet.spark.streaming.Time;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

/**
 * {@code mapWithState}: the function runs for each record of the batch, in order, with the key's state; what it
 * returns is the mapped stream, and the states (each with the time it last got data) are the snapshots. With a
 * timeout, keys without data for longer are called once more with {@code isTimingOut()} and removed. Needs a
 * checkpoint directory, as in Spark.
 */
public final class MapWithStateDStream<K, V, S, M>
    extends StatefulDStream<Tuple2<K, V>, MapWithStateDStream.Record<K, S, M>> {

  /** A key's state and the batch time it last got data. */
  public record Entry<S>(S state, long updated) { }

  /** One batch: every key's state after it, and the mapped values it produced. */
  public record Record<K, S, M>(Map<K, Entry<S>> states, List<M> mapped) { }

  private final transient StateSpec<K, V, S, M> spec;

  public MapWithStateDStream(DStream<Tuple2<K, V>> parent, StateSpec<K, V, S, M> spec) {
    super(parent);
    this.spec = spec;
  }

  /** In the checkpoint: each key with its state and the time it last got data; the mapped values are not kept. */
  @Override
  protected RDD<?> checkpointForm(RDD<Record<K, S, M>> rdd) {
    List<Tuple2<K, Tuple2<S, Long>>> states = new ArrayList<>();
    for (Record<K, S, M> r : rdd.collect()) {
      r.states().forEach((k, e) -> states.add(new Tuple2<>(k, new Tuple2<>(e.state(), e.updated()))));
    }
    return new RDD<>(List.of(states));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected RDD<Record<K, S, M>> restoredForm(RDD<Object> form) {
    Map<K, Entry<S>> states = new LinkedHashMap<>();
    for (Object o : form.collect()) {
      Tuple2<K, Tuple2<S, Long>> kv = (Tuple2<K, Tuple2<S, Long>>) o;
      states.put(kv._1(), new Entry<>(kv._2()._1(), kv._2()._2()));
    }
    return new RDD<>(List.of(List.of(new Record<>(states, List.of()))));
  }

  @Override
  protected RDD<Record<K, S, M>> compute(Time validTime) {
    long now = validTime.milliseconds();
    RDD<Record<K, S, M>> previous = getOrCompute(validTime.minus(slideDuration()));
    Map<K, Entry<S>> states = new LinkedHashMap<>();
    if (previous != null) {
      states.putAll(previous.collect().get(0).states());
    } else if (spec.getInitialStateRDD() != null) {
      for (Tuple2<K, S> kv : spec.getInitialStateRDD().collect()) {
        states.put(kv._1(), new Entry<>(kv._2(), now));
      }
    }
    List<M> mapped = new ArrayList<>();
    State<S> wrapped = new State<>();
    boolean timeouts = spec.getTimeoutInterval() != null;
    RDD<Tuple2<K, V>> batch = parent.getOrCompute(validTime);
    if (batch != null) {
      for (Tuple2<K, V> kv : batch.collect()) {
        Entry<S> entry = states.get(kv._1());
        wrapped.wrap(entry == null ? null : entry.state(), entry != null, false);
        Optional<M> out = RDD.call(() -> spec.getFunction().call(validTime, kv._1(), Optional.ofNullable(kv._2()),
            wrapped));
        if (out != null && out.isPresent()) {
          mapped.add(out.get());
        }
        if (wrapped.isRemoved()) {
          states.remove(kv._1());
        } else if (wrapped.isUpdated() || (wrapped.exists() && timeouts)) {
          states.put(kv._1(), new Entry<>(wrapped.get(), now));
        }
      }
    }
    if (timeouts) {
      long threshold = now - spec.getTimeoutInterval().milliseconds();
      for (Map.Entry<K, Entry<S>> e : new ArrayList<>(states.entrySet())) {
        if (e.getValue().updated() < threshold) {
          wrapped.wrap(e.getValue().state(), true, true);
          Optional<M> out = RDD.call(() -> spec.getFunction().call(validTime, e.getKey(), Optional.empty(),
              wrapped));
          if (out != null && out.isPresent()) {
            mapped.add(out.get());
          }
          states.remove(e.getKey());
        }
      }
    }
    return new RDD<>(List.of(List.of(new Record<>(states, mapped))));
  }
}
