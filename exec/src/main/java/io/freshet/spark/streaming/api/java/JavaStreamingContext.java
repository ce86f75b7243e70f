package io.freshet.spark.streaming.api.java;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.JavaSparkContext;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.StreamingContext;
import io.freshet.spark.streaming.StreamingContextState;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.QueueInputDStream;
import io.freshet.spark.streaming.dstream.UnionDStream;
import io.freshet.spark.streaming.receiver.Receiver;
import io.freshet.spark.streaming.scheduler.StreamingListener;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import java.util.function.LongSupplier;

/** Spark's {@code JavaStreamingContext}. */
public class JavaStreamingContext implements AutoCloseable {
  private final StreamingContext ssc;

  public JavaStreamingContext(String master, String appName, Duration batchDuration) {
    this(new SparkConf().setMaster(master).setAppName(appName), batchDuration);
  }

  public JavaStreamingContext(SparkConf conf, Duration batchDuration) {
    this.ssc = new StreamingContext(conf, batchDuration);
  }

  public JavaStreamingContext(StreamingContext ssc) {
    this.ssc = ssc;
  }

  /**
   * Spark's getOrCreate: the graph is rebuilt by {@code creatingFunc} (which should set the checkpoint directory;
   * if it does not, {@code checkpointPath} is used), and the run continues from the checkpoint: batches after the
   * last committed one, at the following batch times, reading the inputs from where they were (the socket log,
   * the file listing log), with the state of stateful streams and the batches windows still need as the last
   * committed batch left them. A batch that was not committed runs again with the same data and time. The factory
   * must build the same streams in the same order (their numbers name their state in the checkpoint).
   */
  public static JavaStreamingContext getOrCreate(String checkpointPath,
      io.freshet.spark.api.java.function.Function0<JavaStreamingContext> creatingFunc) {
    JavaStreamingContext ssc = io.freshet.spark.rdd.RDD.call(creatingFunc::call);
    if (ssc.ssc().checkpointDirectory() == null) {
      ssc.checkpoint(checkpointPath);
    }
    return ssc;
  }

  public StreamingContext ssc() {
    return ssc;
  }

  public JavaSparkContext sparkContext() {
    return ssc.sparkContext();
  }

  /**
   * The clock batches follow. With {@code spark.streaming.clock} set to {@code org.apache.spark.util.ManualClock}
   * it is a {@link io.freshet.spark.util.ManualClock} that a test moves (a Freshet addition: Spark's tests
   * reach the clock through the scheduler).
   */
  public LongSupplier clock() {
    return ssc.clock();
  }

  public StreamingContextState getState() {
    return ssc.getState();
  }

  /** The RDDs of the queue as they are now, one per batch; RDDs added to the queue later are not seen (Spark). */
  public <T> JavaDStream<T> queueStream(Queue<JavaRDD<T>> queue) {
    return queueStream(queue, true);
  }

  public <T> JavaInputDStream<T> queueStream(Queue<JavaRDD<T>> queue, boolean oneAtATime) {
    return queueStream(queue, oneAtATime, null);
  }

  public <T> JavaInputDStream<T> queueStream(Queue<JavaRDD<T>> queue, boolean oneAtATime, JavaRDD<T> defaultRDD) {
    Queue<RDD<T>> copy = new LinkedList<>();
    for (JavaRDD<T> r : queue) {
      copy.add(r.rdd());
    }
    return new JavaInputDStream<>(new QueueInputDStream<>(ssc, copy, oneAtATime,
        defaultRDD == null ? null : defaultRDD.rdd()));
  }

  /**
   * Lines of text from a TCP server (Spark's socket stream, as {@code nc -lk 9999} feeds), through Freshet's
   * socket connector: received lines go to a write-ahead log in the checkpoint before a batch reads them, and
   * the connection is made again when the server goes away.
   */
  public JavaReceiverInputDStream<String> socketTextStream(String hostname, int port) {
    return socketTextStream(hostname, port, io.freshet.spark.storage.StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  public JavaReceiverInputDStream<String> socketTextStream(String hostname, int port,
      io.freshet.spark.storage.StorageLevel storageLevel) {
    return new JavaReceiverInputDStream<>(new io.freshet.spark.streaming.dstream.SourceInputDStream<>(ssc,
        "socket", java.util.Map.of("host", hostname, "port", Integer.toString(port)),
        io.freshet.spark.streaming.dstream.SourceInputDStream::lines));
  }

  /**
   * The lines of new text files in a directory, as Spark's textFileStream: files already there when the program
   * first started are ignored, and each new file is read once, whole (write files elsewhere and move them in).
   * Through Freshet's file connector, whose listing log in the checkpoint keeps a file from being read twice.
   */
  public JavaDStream<String> textFileStream(String directory) {
    return new JavaDStream<>(new io.freshet.spark.streaming.dstream.SourceInputDStream<>(ssc, "file",
        java.util.Map.of("path", directory, "newFilesOnly", "true"),
        io.freshet.spark.streaming.dstream.SourceInputDStream::lines));
  }

  /**
   * Spark's fileStream with Hadoop's {@code TextInputFormat}: the lines of new files in a directory, as
   * {@code textFileStream} reads them, each keyed by the byte offset where it starts in its file
   * ({@code LongWritable}, {@code Text}: Freshet's own classes of those names, in {@code io.freshet.hadoop}). Other
   * input formats are refused.
   */
  public <K, V, F extends io.freshet.hadoop.mapreduce.InputFormat<K, V>> JavaPairInputDStream<K, V> fileStream(
      String directory, Class<K> kClass, Class<V> vClass, Class<F> fClass) {
    if (fClass != io.freshet.hadoop.mapreduce.lib.input.TextInputFormat.class
        || kClass != io.freshet.hadoop.io.LongWritable.class || vClass != io.freshet.hadoop.io.Text.class) {
      throw new IllegalArgumentException("fileStream reads TextInputFormat's records (LongWritable byte offset, "
          + "Text line), not " + fClass.getName() + " (" + kClass.getName() + ", " + vClass.getName() + "); for "
          + "other formats read lines with textFileStream and parse them");
    }
    @SuppressWarnings("unchecked")
    DStream<scala.Tuple2<K, V>> lines = (DStream<scala.Tuple2<K, V>>) (DStream<?>)
        new io.freshet.spark.streaming.dstream.SourceInputDStream<>(ssc, "file", java.util.Map.of("path", directory,
            "newFilesOnly", "true", "lineOffsetColumn", "offset"),
            io.freshet.spark.streaming.dstream.SourceInputDStream::offsetLines);
    return new JavaPairInputDStream<>(lines);
  }

  /** A stream of what a user {@link Receiver} stores. */
  public <T> JavaReceiverInputDStream<T> receiverStream(Receiver<T> receiver) {
    return new JavaReceiverInputDStream<>(new io.freshet.spark.streaming.dstream.ReceiverInputDStream<>(ssc,
        receiver));
  }

  @SuppressWarnings("unchecked")
  public <T> JavaDStream<T> union(JavaDStream<T> first, List<JavaDStream<T>> rest) {
    List<DStream<T>> all = new ArrayList<>();
    all.add(first.dstream());
    rest.forEach(d -> all.add(d.dstream()));
    return new JavaDStream<>(new UnionDStream<>(all));
  }

  @SafeVarargs
  public final <T> JavaDStream<T> union(JavaDStream<T>... streams) {
    List<DStream<T>> all = new ArrayList<>();
    for (JavaDStream<T> d : streams) {
      all.add(d.dstream());
    }
    return new JavaDStream<>(new UnionDStream<>(all));
  }

  public void checkpoint(String directory) {
    ssc.checkpoint(directory);
  }

  public void remember(Duration duration) {
    ssc.remember(duration);
  }

  public void addStreamingListener(StreamingListener listener) {
    ssc.addStreamingListener(listener);
  }

  public void start() {
    ssc.start();
  }

  public void awaitTermination() throws InterruptedException {
    ssc.awaitTermination();
  }

  public boolean awaitTerminationOrTimeout(long timeout) throws InterruptedException {
    return ssc.awaitTerminationOrTimeout(timeout);
  }

  public void stop() {
    stop(ssc.conf().getBoolean("spark.streaming.stopSparkContextByDefault", true));
  }

  public void stop(boolean stopSparkContext) {
    ssc.stop(stopSparkContext, false);
  }

  public void stop(boolean stopSparkContext, boolean stopGracefully) {
    ssc.stop(stopSparkContext, stopGracefully);
  }

  @Override
  public void close() {
    stop();
  }
}
