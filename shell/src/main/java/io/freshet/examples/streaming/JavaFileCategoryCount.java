package io.freshet.examples.streaming;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.nio.file.Path;
import java.util.Arrays;
import scala.Tuple2;

/**
 * Running counts per category of the words in the new files of a directory, where a static dataset (a file of
 * {@code word category} lines) gives each word's category: each batch is joined with it in {@code transform}, as
 * the Spark Streaming guide joins a stream with a dataset, and the counts are kept with {@code updateStateByKey}
 * and recovered with {@code getOrCreate}. Words without a category are not counted (an inner join). After every
 * batch (every 250 ms) the whole state, one {@code category count} line per category, replaces the output file.
 * Not one of Spark's examples: Freshet's crash test kills it again and again and checks the counts.
 *
 * <p>Usage: JavaFileCategoryCount &lt;input-directory&gt; &lt;categories-file&gt; &lt;checkpoint-directory&gt;
 * &lt;output-file&gt;. Move files into the input directory whole (write them elsewhere and rename them in).
 */
public final class JavaFileCategoryCount {

  private JavaFileCategoryCount() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("Usage: JavaFileCategoryCount <input-directory> <categories-file> <checkpoint-directory> "
          + "<output-file>");
      System.exit(1);
    }
    String input = args[0];
    String categories = args[1];
    String checkpoint = args[2];
    Path output = Path.of(args[3]);
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(checkpoint, () -> {
      JavaStreamingContext context = new JavaStreamingContext(new SparkConf().setMaster("local[2]")
          .setAppName("JavaFileCategoryCount"), Durations.milliseconds(250));
      context.checkpoint(checkpoint);
      JavaPairRDD<String, String> categoryOf = context.sparkContext().textFile(categories)
          .mapToPair(line -> {
            String[] parts = line.split(" ");
            return new Tuple2<>(parts[0], parts[1]);
          })
          .cache();
      context.textFileStream(input)
          .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
          .mapToPair(word -> new Tuple2<>(word, 1))
          .transformToPair(words -> words.join(categoryOf))
          .mapToPair(joined -> new Tuple2<>(joined._2()._2(), joined._2()._1()))
          .updateStateByKey(JavaStatefulFileWordCount::sum)
          .foreachRDD(rdd -> JavaStatefulFileWordCount.replace(output, rdd.collect()));
      return context;
    });
    ssc.start();
    ssc.awaitTermination();
  }
}
