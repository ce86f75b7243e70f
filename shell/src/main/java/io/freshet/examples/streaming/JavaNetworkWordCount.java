package io.freshet.examples.streaming;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.StorageLevels;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaReceiverInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;
import java.util.regex.Pattern;
import scala.Tuple2;

/**
 * Counts words in UTF-8 text received from the network every second.
 *
 * <p>Usage: JavaNetworkWordCount &lt;hostname&gt; &lt;port&gt;. Run {@code nc -lk 9999} in one terminal and
 * {@code bin/run-example streaming.JavaNetworkWordCount localhost 9999} in another, then type words into the first.
 */
public final class JavaNetworkWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private JavaNetworkWordCount() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: JavaNetworkWordCount <hostname> <port>");
      System.exit(1);
    }
    SparkConf sparkConf = new SparkConf().setAppName("JavaNetworkWordCount");
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf, Durations.seconds(1));
    JavaReceiverInputDStream<String> lines = ssc.socketTextStream(args[0], Integer.parseInt(args[1]),
        StorageLevels.MEMORY_AND_DISK_SER);
    JavaDStream<String> words = lines.flatMap(x -> Arrays.asList(SPACE.split(x)).iterator());
    JavaPairDStream<String, Integer> wordCounts = words.mapToPair(s -> new Tuple2<>(s, 1))
        .reduceByKey((i1, i2) -> i1 + i2);
    wordCounts.print();
    ssc.start();
    ssc.awaitTermination();
  }
}
