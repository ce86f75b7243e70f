package io.freshet.spark.streaming.dstream;

import io.freshet.spark.streaming.Duration;
import java.util.List;

/** A stream made from one parent, sliding with it. */
public abstract class DerivedDStream<P, T> extends DStream<T> {
  protected final DStream<P> parent;

  protected DerivedDStream(DStream<P> parent) {
    super(parent.context());
    this.parent = parent;
  }

  @Override
  public final Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public final List<DStream<?>> dependencies() {
    return List.of(parent);
  }
}
