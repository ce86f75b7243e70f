package io.freshet.exec.dstream.streaming.dstream;

import io.freshet.exec.dstream.streaming.Duration;
import java.util.List;

/**
 * A stream whose RDD at a time builds on its own RDD of the batch before (updateStateByKey, mapWithState): it
 * slides with its parent, and needs a checkpoint directory, as in Spark.
 */
abstract class StatefulDStream<P, T> extends DStream<T> {
  protected final DStream<P> parent;

  StatefulDStream(DStream<P> parent) {
    super(parent.context());
    this.parent = parent;
  }

  @Override
  protected boolean mustCheckpoint() {
    return true;
  }

  @Override
  public Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(parent);
  }
}
