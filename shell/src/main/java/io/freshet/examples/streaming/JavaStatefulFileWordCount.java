package io.freshet.examples.streaming;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.Optional;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import scala.Tuple2;

/**
 * Running word counts over the new files of a directory (a reliable input: nothing is lost across a restart),
 * kept with {@code updateStateByKey} and recovered with {@code getOrCreate}: kill it at any moment and start it
 * again with the same checkpoint directory, and its counts go on exactly, no word lost or counted twice. After
 * every batch (every 250 ms) the whole state, one {@code word count} line per word in word order, replaces the
 * output file. Not one of Spark's examples: Freshet's crash test runs it.
 *
 * <p>Usage: JavaStatefulFileWordCount &lt;input-directory&gt; &lt;checkpoint-directory&gt; &lt;output-file&gt;.
 * Move files into the input directory whole (write them elsewhere and rename them in).
 */
public final class JavaStatefulFileWordCount {

  private JavaStatefulFileWordCount() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("Usage: JavaStatefulFileWordCount <input-directory> <checkpoint-directory> <output-file>");
      System.exit(1);
    }
    String input = args[0];
    String checkpoint = args[1];
    Path output = Path.of(args[2]);
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(checkpoint, () -> {
      JavaStreamingContext context = new JavaStreamingContext(new SparkConf().setMaster("local[2]")
          .setAppName("JavaStatefulFileWordCount"), Durations.milliseconds(250));
      context.checkpoint(checkpoint);
      context.textFileStream(input)
          .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
          .mapToPair(word -> new Tuple2<>(word, 1))
          .updateStateByKey(JavaStatefulFileWordCount::sum)
          .foreachRDD(rdd -> replace(output, rdd.collect()));
      return context;
    });
    ssc.start();
    ssc.awaitTermination();
  }

  /** The running count of a key: its state plus the batch's values. */
  static Optional<Long> sum(List<Integer> values, Optional<Long> state) {
    long sum = state.orElse(0L);
    for (int v : values) {
      sum += v;
    }
    return Optional.of(sum);
  }

  /** Replaces {@code output} (by rename) with a {@code key count} line per key, in key order. */
  static void replace(Path output, List<Tuple2<String, Long>> state) throws java.io.IOException {
    Map<String, Long> counts = new TreeMap<>();
    state.forEach(kv -> counts.put(kv._1(), kv._2()));
    StringBuilder text = new StringBuilder();
    counts.forEach((word, n) -> text.append(word).append(' ').append(n).append('\n'));
    Path written = output.resolveSibling(output.getFileName() + ".tmp");
    Files.writeString(written, text);
    Files.move(written, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
