package io.freshet.examples.streaming;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.Optional;
import io.freshet.spark.api.java.StorageLevels;
import io.freshet.spark.api.java.function.Function3;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.State;
import io.freshet.spark.streaming.StateSpec;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaMapWithStateDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaReceiverInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import scala.Tuple2;

/**
 * Counts words cumulatively in UTF-8 text received from the network every second, starting with "hello" and
 * "world" at 1, with {@code mapWithState}: each batch prints the words it saw with their running counts.
 *
 * <p>Usage: JavaStatefulNetworkWordCount &lt;hostname&gt; &lt;port&gt; (with {@code nc -lk 9999} as for
 * JavaNetworkWordCount). The checkpoint goes to the current directory, as in Spark's example.
 */
public final class JavaStatefulNetworkWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private JavaStatefulNetworkWordCount() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: JavaStatefulNetworkWordCount <hostname> <port>");
      System.exit(1);
    }
    SparkConf sparkConf = new SparkConf().setAppName("JavaStatefulNetworkWordCount");
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf, Durations.seconds(1));
    ssc.checkpoint(".");

    // Initial state RDD input to mapWithState
    List<Tuple2<String, Integer>> tuples = Arrays.asList(new Tuple2<>("hello", 1), new Tuple2<>("world", 1));
    JavaPairRDD<String, Integer> initialRDD = ssc.sparkContext().parallelizePairs(tuples);

    JavaReceiverInputDStream<String> lines = ssc.socketTextStream(args[0], Integer.parseInt(args[1]),
        StorageLevels.MEMORY_AND_DISK_SER_2);
    JavaDStream<String> words = lines.flatMap(x -> Arrays.asList(SPACE.split(x)).iterator());
    JavaPairDStream<String, Integer> wordsDstream = words.mapToPair(s -> new Tuple2<>(s, 1));

    // Update the cumulative count function
    Function3<String, Optional<Integer>, State<Integer>, Tuple2<String, Integer>> mappingFunc =
        (word, one, state) -> {
          int sum = one.orElse(0) + (state.exists() ? state.get() : 0);
          Tuple2<String, Integer> output = new Tuple2<>(word, sum);
          state.update(sum);
          return output;
        };

    // DStream made of get cumulative counts that get updated in every batch
    JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> stateDstream =
        wordsDstream.mapWithState(StateSpec.function(mappingFunc).initialState(initialRDD));
    stateDstream.print();
    ssc.start();
    ssc.awaitTermination();
  }
}
