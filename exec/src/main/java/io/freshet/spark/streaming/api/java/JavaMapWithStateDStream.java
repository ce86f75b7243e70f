package io.freshet.spark.streaming.api.java;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.MapWithStateDStream;
import io.freshet.spark.streaming.dstream.TransformedDStream;
import java.util.ArrayList;
import java.util.List;
import scala.Tuple2;

/** Spark's {@code JavaMapWithStateDStream}: the mapped values, and {@link #stateSnapshots()} of every key's state. */
public class JavaMapWithStateDStream<K, V, S, M> extends JavaDStream<M> {
  private final MapWithStateDStream<K, V, S, M> states;

  JavaMapWithStateDStream(MapWithStateDStream<K, V, S, M> states) {
    super(mapped(states));
    this.states = states;
  }

  private static <K, V, S, M> DStream<M> mapped(MapWithStateDStream<K, V, S, M> states) {
    return new TransformedDStream<>(states, (rdd, t) -> new RDD<>(List.of(rdd.collect().get(0).mapped())));
  }

  /** Every key and its state after each batch. */
  public JavaPairDStream<K, S> stateSnapshots() {
    return new JavaPairDStream<>(new TransformedDStream<>(states, (rdd, t) -> {
      List<Tuple2<K, S>> all = new ArrayList<>();
      rdd.collect().get(0).states().forEach((k, e) -> all.add(new Tuple2<>(k, e.state())));
      return new RDD<>(List.of(all));
    }));
  }
}
