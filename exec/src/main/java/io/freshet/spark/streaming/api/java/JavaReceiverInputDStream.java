package io.freshet.spark.streaming.api.java;

import io.freshet.spark.streaming.dstream.DStream;

/** Spark's {@code JavaReceiverInputDStream}: an input that receives data rather than reading a replayable log. */
public class JavaReceiverInputDStream<T> extends JavaInputDStream<T> {
  public JavaReceiverInputDStream(DStream<T> dstream) {
    super(dstream);
  }
}
