package io.freshet.exec.dstream.streaming.dstream;

import io.freshet.exec.dstream.streaming.Duration;
import io.freshet.exec.dstream.streaming.StreamingContext;
import java.util.List;

/** Spark's {@code InputDStream}: a stream with no parent, an RDD per batch, registered with its context. */
public abstract class InputDStream<T> extends DStream<T> {
  protected InputDStream(StreamingContext ssc) {
    super(ssc);
    ssc.addInputStream(this);
  }

  @Override
  public final Duration slideDuration() {
    return ssc.batchDuration();
  }

  @Override
  public final List<DStream<?>> dependencies() {
    return List.of();
  }
}
