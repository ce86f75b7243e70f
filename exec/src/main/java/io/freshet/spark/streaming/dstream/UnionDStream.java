package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.Time;
import java.util.ArrayList;
import java.util.List;

/** The union of DStreams with the same slide duration: at each time, the partitions of all their RDDs. */
public final class UnionDStream<T> extends DStream<T> {
  private final List<DStream<T>> parents;

  public UnionDStream(List<DStream<T>> parents) {
    super(parents.get(0).context());
    if (parents.stream().map(DStream::context).distinct().count() > 1) {
      throw new IllegalArgumentException("Some of the DStreams have different contexts");
    }
    if (parents.stream().map(DStream::slideDuration).distinct().count() > 1) {
      throw new IllegalArgumentException("Some of the DStreams have different slide durations");
    }
    this.parents = List.copyOf(parents);
  }

  @Override
  public Duration slideDuration() {
    return parents.get(0).slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return new ArrayList<>(parents);
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    List<RDD<T>> rdds = new ArrayList<>();
    for (DStream<T> p : parents) {
      RDD<T> r = p.getOrCompute(validTime);
      if (r == null) {
        throw new IllegalStateException("Could not generate RDD from a parent for unifying at time " + validTime);
      }
      rdds.add(r);
    }
    return RDD.union(rdds);
  }
}
