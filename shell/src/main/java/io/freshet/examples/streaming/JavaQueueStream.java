package io.freshet.examples.streaming;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import scala.Tuple2;

/**
 * A stream made from a queue of RDDs, one RDD per second: each batch counts the numbers 0 to 999 by their last
 * digit. After the 30 queued RDDs the batches are empty; the program runs until it is interrupted, as Spark's.
 *
 * <p>Usage: JavaQueueStream
 */
public final class JavaQueueStream {
  private JavaQueueStream() {
  }

  public static void main(String[] args) throws Exception {
    SparkConf sparkConf = new SparkConf().setAppName("JavaQueueStream");

    // Create the context
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf, new Duration(1000));

    // Create the queue through which RDDs can be pushed to a QueueInputDStream
    // Create and push some RDDs into the queue
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      list.add(i);
    }
    Queue<JavaRDD<Integer>> rddQueue = new LinkedList<>();
    for (int i = 0; i < 30; i++) {
      rddQueue.add(ssc.sparkContext().parallelize(list));
    }

    // Create the QueueInputDStream and use it do some processing
    JavaDStream<Integer> inputStream = ssc.queueStream(rddQueue);
    JavaPairDStream<Integer, Integer> mappedStream = inputStream.mapToPair(i -> new Tuple2<>(i % 10, 1));
    JavaPairDStream<Integer, Integer> reducedStream = mappedStream.reduceByKey((i1, i2) -> i1 + i2);
    reducedStream.print();
    ssc.start();
    ssc.awaitTermination();
  }
}
