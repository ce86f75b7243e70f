package io.freshet.bench;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.scheduler.StreamingListener;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import io.freshet.spark.util.ManualClock;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import scala.Tuple2;

/**
 * The DStream API on its scheduler: each invocation is one 1-second batch of a million words (10 000 distinct,
 * uniformly drawn) moved through by a manual clock, counted per word ({@code wordcount}), or counted per word over
 * a 30-second window sliding every second with an inverse function ({@code window}). Reports words per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class DStreamWordCountBenchmark {
  private static final int WORDS = 1_000_000;

  @Param({"wordcount", "window"})
  public String query;

  private JavaStreamingContext ssc;
  private ManualClock clock;
  private final LinkedBlockingQueue<Time> completed = new LinkedBlockingQueue<>();
  private final AtomicLong keys = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("bench")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    ssc.checkpoint(Files.createTempDirectory("freshet-dstream-bench").toString());
    String[] vocabulary = new String[10_000];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "word" + i;
    }
    SplittableRandom random = new SplittableRandom(42);
    List<String> words = new ArrayList<>(WORDS);
    for (int i = 0; i < WORDS; i++) {
      words.add(vocabulary[random.nextInt(vocabulary.length)]);
    }
    JavaRDD<String> batch = ssc.sparkContext().parallelize(words);
    // An empty queue with the batch as default: every batch gets the same million words.
    JavaPairDStream<String, Long> pairs = ssc.queueStream(new LinkedList<>(), true, batch)
        .mapToPair(w -> new Tuple2<>(w, 1L));
    JavaPairDStream<String, Long> counts = query.equals("window")
        ? pairs.reduceByKeyAndWindow(Long::sum, (a, b) -> a - b, Durations.seconds(30), Durations.seconds(1))
        : pairs.reduceByKey(Long::sum);
    counts.foreachRDD(rdd -> keys.set(rdd.count()));
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
        completed.add(batchCompleted.batchInfo().batchTime());
      }
    });
    ssc.start();
    clock = (ManualClock) ssc.clock();
  }

  @Benchmark
  @OperationsPerInvocation(WORDS)
  public long batch() throws InterruptedException {
    clock.advance(1000);
    if (completed.poll(60, TimeUnit.SECONDS) == null) {
      throw new IllegalStateException("the batch did not complete");
    }
    return keys.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ssc.stop();
  }
}
