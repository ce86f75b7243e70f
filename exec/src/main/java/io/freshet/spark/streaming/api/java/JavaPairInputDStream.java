package io.freshet.spark.streaming.api.java;

import io.freshet.spark.streaming.dstream.DStream;
import scala.Tuple2;

/** Spark's {@code JavaPairInputDStream}: a pair DStream that reads an input ({@code fileStream}). */
public class JavaPairInputDStream<K, V> extends JavaPairDStream<K, V> {
  private final DStream<Tuple2<K, V>> input;

  public JavaPairInputDStream(DStream<Tuple2<K, V>> dstream) {
    super(dstream);
    this.input = dstream;
  }

  /** The input stream itself. */
  public DStream<Tuple2<K, V>> inputDStream() {
    return input;
  }
}
