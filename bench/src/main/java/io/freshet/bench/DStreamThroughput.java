package io.freshet.bench;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.scheduler.StreamingListener;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import scala.Tuple2;

/**
 * A DStream word count, or windowed word count, as a Spark Streaming user writes it, timed batch by batch. The
 * same source runs on Freshet and, with its imports changed ({@code io.freshet.spark} to {@code org.apache.spark},
 * as the README's port command does), on Spark Streaming: {@code bench/dstream-compare} runs both side by side.
 *
 * <p>Every batch is the same in-memory RDD of text lines (made by the tasks and cached, so that Spark reads it from
 * its block manager as Freshet from memory), split into words, paired with 1 and counted per word ({@code wordcount}), or counted
 * per word over a window of {@code window} batches sliding every batch with an inverse function ({@code window}).
 * The program checks each batch's answer (the counts add up to the words in the batch, or in the window) and prints
 * one JSON line: words per second of processing (each batch's words over its processing delay, as the streaming
 * listener reports it) as a mean and standard deviation over the measured batches, and the share of that time the
 * JVM spent in garbage collection.
 *
 * <p>Arguments: {@code wordcount|window [batches] [warmup batches] [lines per batch] [words per line]
 * [distinct words] [batch interval ms] [window in batches] [parallelism]}.
 */
public final class DStreamThroughput {
  private DStreamThroughput() {
  }

  public static void main(String[] args) throws Exception {
    String query = args.length > 0 ? args[0] : "wordcount";
    int batches = intArg(args, 1, 30);
    int warmup = intArg(args, 2, 10);
    int lines = intArg(args, 3, 100_000);
    int wordsPerLine = intArg(args, 4, 10);
    int vocabulary = intArg(args, 5, 10_000);
    int batchMs = intArg(args, 6, 1000);
    int window = intArg(args, 7, 30);
    int parallelism = intArg(args, 8, 2);
    if (warmup < 1 || batches < 2) {
      throw new IllegalArgumentException("give at least 1 warm-up batch and 2 measured ones");
    }
    if (!query.equals("wordcount") && !query.equals("window")) {
      throw new IllegalArgumentException("query must be wordcount or window, not " + query);
    }
    SparkConf conf = new SparkConf().setMaster("local[" + parallelism + "]").setAppName("dstream-throughput")
        .set("spark.ui.enabled", "false");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(batchMs));
    ssc.sparkContext().setLogLevel("WARN");
    ssc.checkpoint(Files.createTempDirectory("dstream-throughput").toString());

    // The lines are made by the tasks (not shipped in them), then kept in memory.
    List<Integer> slices = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      slices.add(i);
    }
    JavaRDD<String> text = ssc.sparkContext().parallelize(slices, parallelism)
        .flatMap(i -> makeLines(i, lines / parallelism + (i < lines % parallelism ? 1 : 0), wordsPerLine,
            vocabulary).iterator());
    text.cache();
    long wordsPerBatch = (long) lines * wordsPerLine;
    if (text.count() != lines) {
      throw new IllegalStateException("the input RDD lost lines");
    }
    JavaPairDStream<String, Integer> pairs = ssc.queueStream(new LinkedList<>(), true, text)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1));
    JavaPairDStream<String, Integer> counts = query.equals("window")
        ? pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.milliseconds((long) window * batchMs),
            Durations.milliseconds(batchMs))
        : pairs.reduceByKey(Integer::sum);

    int total = warmup + batches;
    List<Long> totals = new ArrayList<>();
    counts.foreachRDD(rdd -> {
      long sum = rdd.map(kv -> (long) kv._2()).fold(0L, Long::sum);
      synchronized (totals) {
        totals.add(sum);
      }
    });
    long[] delays = new long[total];
    long[] gcAtEnd = new long[total];
    CountDownLatch done = new CountDownLatch(total);
    ssc.addStreamingListener(new StreamingListener() {
      private int seen;

      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        if (seen < total) {
          delays[seen] = (Long) completed.batchInfo().processingDelay().get();
          gcAtEnd[seen] = gcMillis();
          seen++;
          done.countDown();
        }
      }
    });
    ssc.start();
    if (!done.await(Math.max(600, total * 10L), TimeUnit.SECONDS)) {
      throw new IllegalStateException("the batches did not complete");
    }
    ssc.stop(true, false);

    List<Long> seenTotals;
    synchronized (totals) {
      seenTotals = new ArrayList<>(totals.subList(0, total));
    }
    for (int i = 0; i < total; i++) {
      long expected = wordsPerBatch * (query.equals("window") ? Math.min(i + 1, window) : 1);
      if (seenTotals.get(i) != expected) {
        throw new IllegalStateException("batch " + i + " counted " + seenTotals.get(i) + " words, not " + expected);
      }
    }
    double[] rates = new double[batches];
    long busy = 0;
    for (int i = 0; i < batches; i++) {
      long ms = Math.max(1, delays[warmup + i]);
      rates[i] = wordsPerBatch * 1000.0 / ms;
      busy += ms;
    }
    double mean = Arrays.stream(rates).average().orElse(0);
    double sd = Math.sqrt(Arrays.stream(rates).map(r -> (r - mean) * (r - mean)).sum() / Math.max(1, batches - 1));
    long gc = gcAtEnd[total - 1] - gcAtEnd[warmup - 1];
    System.out.println(String.format(Locale.ROOT, "{\"engine\":\"%s\",\"query\":\"%s\",\"wordsPerBatch\":%d,"
        + "\"batches\":%d,\"wordsPerSecond\":%.0f,\"stddev\":%.0f,\"processingMs\":%d,\"gcMs\":%d,"
        + "\"gcShare\":%.3f,\"parallelism\":%d}", engine(), query, wordsPerBatch, batches, mean, sd, busy, gc,
        busy == 0 ? 0 : (double) gc / busy, parallelism));
    System.exit(0); // Spark's context may leave non-daemon threads behind
  }

  private static String engine() {
    return SparkConf.class.getName().startsWith("org.apache") ? "spark" : "freshet";
  }

  private static int intArg(String[] args, int i, int otherwise) {
    return args.length > i ? Integer.parseInt(args[i]) : otherwise;
  }

  /** Slice {@code slice}'s {@code n} lines of {@code perLine} words drawn uniformly from {@code vocabulary}. */
  static List<String> makeLines(int slice, int n, int perLine, int vocabulary) {
    SplittableRandom random = new SplittableRandom(42 + slice);
    List<String> out = new ArrayList<>(n);
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < n; i++) {
      line.setLength(0);
      for (int w = 0; w < perLine; w++) {
        if (w > 0) {
          line.append(' ');
        }
        line.append("word").append(random.nextInt(vocabulary));
      }
      out.add(line.toString());
    }
    return out;
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }
}
