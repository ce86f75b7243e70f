package io.freshet.exec.dstream.streaming.api.java;

import io.freshet.exec.dstream.streaming.dstream.DStream;

/** Spark's {@code JavaInputDStream}: a DStream that reads an input. */
public class JavaInputDStream<T> extends JavaDStream<T> {
  public JavaInputDStream(DStream<T> dstream) {
    super(dstream);
  }
}
