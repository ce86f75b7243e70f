package io.freshet.spark.streaming.api.java;

import io.freshet.spark.streaming.dstream.DStream;

/** Spark's {@code JavaInputDStream}: a DStream that reads an input. */
public class JavaInputDStream<T> extends JavaDStream<T> {
  private final DStream<T> input;

  public JavaInputDStream(DStream<T> dstream) {
    super(dstream);
    this.input = dstream;
  }

  /** The input stream itself (for a direct Kafka stream, what commits offsets: {@code CanCommitOffsets}). */
  public DStream<T> inputDStream() {
    return input;
  }
}
