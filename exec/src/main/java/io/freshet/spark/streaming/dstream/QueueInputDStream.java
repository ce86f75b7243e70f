package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.StreamingContext;
import io.freshet.spark.streaming.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * {@code queueStream}: each batch takes the next RDD of the queue ({@code oneAtATime}) or all of them at once;
 * with the queue empty, the default RDD, or an empty one. Not replayable, so not recovered from a checkpoint (as
 * in Spark).
 */
public final class QueueInputDStream<T> extends InputDStream<T> {
  private final transient Queue<RDD<T>> queue;
  private final boolean oneAtATime;
  private final transient RDD<T> defaultRdd;

  public QueueInputDStream(StreamingContext ssc, Queue<RDD<T>> queue, boolean oneAtATime, RDD<T> defaultRdd) {
    super(ssc);
    this.queue = queue;
    this.oneAtATime = oneAtATime;
    this.defaultRdd = defaultRdd;
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    List<RDD<T>> taken = new ArrayList<>();
    synchronized (queue) {
      if (oneAtATime && !queue.isEmpty()) {
        taken.add(queue.poll());
      } else {
        taken.addAll(queue);
        queue.clear();
      }
    }
    if (!taken.isEmpty()) {
      return oneAtATime ? taken.get(0) : RDD.union(taken);
    }
    return defaultRdd != null ? defaultRdd : RDD.empty();
  }
}
