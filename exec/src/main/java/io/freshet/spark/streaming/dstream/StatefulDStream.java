package io.freshet.spark.streaming.dstream;

/**
 * A stream whose RDD at a time builds on its own RDD of the batch before (updateStateByKey, mapWithState): it
 * slides with its parent, and needs a checkpoint directory, as in Spark.
 */
abstract class StatefulDStream<P, T> extends DerivedDStream<P, T> {
  StatefulDStream(DStream<P> parent) {
    super(parent);
  }

  @Override
  protected boolean mustCheckpoint() {
    return true;
  }
}
