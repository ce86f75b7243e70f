package io.freshet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.Optional;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.StreamingContextState;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The DStream API batch by batch, with queue streams and a manual clock; expected outputs written by hand from
 * Spark's documented semantics.
 */
class DStreamTest {
  @TempDir
  Path tmp;
  private JavaStreamingContext ssc;
  private BatchClock clock;
  private final List<String> out = new ArrayList<>();

  @BeforeEach
  void setUp() {
    // Two partitions whatever the threads, so that the outputs (glom, part files) are the same.
    SparkConf conf = new SparkConf().setMaster(master()).setAppName("test").set("spark.default.parallelism", "2")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    clock = new BatchClock(ssc, 1000);
  }

  /** The master: its threads run a batch's partitions (DStreamOneThreadTest and DStreamFourThreadsTest: 1, 4). */
  String master() {
    return "local[2]";
  }

  @AfterEach
  void tearDown() {
    ssc.stop();
  }

  @SafeVarargs
  private <T> JavaDStream<T> queue(List<T>... batches) {
    Queue<JavaRDD<T>> q = new LinkedList<>();
    for (List<T> b : batches) {
      q.add(ssc.sparkContext().parallelize(b));
    }
    return ssc.queueStream(q);
  }

  /** Records each batch's elements (sorted, since partitions order them by hash) as "time: elements". */
  private <T> void collect(JavaDStream<T> stream) {
    stream.foreachRDD((rdd, time) -> {
      List<String> items = new ArrayList<>();
      rdd.collect().forEach(x -> items.add(String.valueOf(x)));
      items.sort(null);
      synchronized (out) {
        out.add(time.milliseconds() / 1000 + ": " + items);
      }
    });
  }

  private <K, V> void collect(JavaPairDStream<K, V> stream) {
    collect(stream.toJavaDStream());
  }

  @Test
  void wordCountBatchByBatch() throws Exception {
    JavaDStream<String> lines = queue(List.of("a b", "b c"), List.of(), List.of("c c"));
    JavaPairDStream<String, Integer> counts = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum);
    collect(counts);
    ssc.start();
    clock.advance();
    clock.advance();
    clock.advance();
    clock.advance();
    assertEquals(List.of("1: [(a,1), (b,2), (c,1)]", "2: []", "3: [(c,2)]", "4: []"), out);
  }

  @Test
  void printUsesSparksExactFormat() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    JavaDStream<Integer> numbers = queue(List.of(1, 2, 3), List.of());
    numbers.print(2);
    ssc.start();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      clock.advance();
      clock.advance();
    } finally {
      System.setOut(original);
    }
    assertEquals("""
        -------------------------------------------
        Time: 1000 ms
        -------------------------------------------
        1
        2
        ...

        -------------------------------------------
        Time: 2000 ms
        -------------------------------------------

        """, captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void transformationsAndOutputsRunInOrder() throws Exception {
    JavaDStream<Integer> numbers = queue(List.of(1, 2, 3, 4), List.of(5));
    numbers.map(x -> x * 10).filter(x -> x > 10).foreachRDD(rdd -> out.add("a" + rdd.collect()));
    numbers.count().foreachRDD(rdd -> out.add("count " + rdd.collect()));
    numbers.reduce(Integer::sum).foreachRDD(rdd -> out.add("sum " + rdd.collect()));
    numbers.glom().foreachRDD(rdd -> out.add("glom " + rdd.collect()));
    numbers.transform((rdd, t) -> rdd.map(x -> x + t.milliseconds())).foreachRDD(rdd -> out.add("t" + rdd.collect()));
    ssc.start();
    clock.advance();
    clock.advance();
    clock.advance();
    assertEquals(List.of(
        "a[20, 30, 40]", "count [4]", "sum [10]", "glom [[1, 2], [3, 4]]", "t[1001, 1002, 1003, 1004]",
        "a[50]", "count [1]", "sum [5]", "glom [[], [5]]", "t[2005]",
        "a[]", "count [0]", "sum []", "glom []", "t[]"), out);
    // The third batch found the queue empty: Spark's empty RDD, which has no partitions at all.
  }

  @Test
  void slidingWindowsSeeTheBatchesOfTheirLength() throws Exception {
    JavaDStream<Integer> numbers = queue(List.of(1), List.of(2), List.of(3), List.of(4));
    collect(numbers.window(Durations.seconds(3), Durations.seconds(2)));
    ssc.start();
    for (int i = 0; i < 6; i++) {
      clock.advance();
    }
    // Windows end at 2, 4, 6 s (multiples of the slide after the zero time) and hold the batches of the 3 s before.
    assertEquals(List.of("2: [1, 2]", "4: [2, 3, 4]", "6: [4]"), out);
  }

  @Test
  void reduceByKeyAndWindowWithAnInverseKeepsKeysThatReturnToZero() throws Exception {
    ssc.checkpoint(tmp.resolve("cp").toString());
    JavaPairDStream<String, Integer> pairs = queue(List.of("a", "b"), List.of("a"), List.of(), List.of())
        .mapToPair(w -> new Tuple2<>(w, 1));
    collect(pairs.reduceByKeyAndWindow(Integer::sum, (x, y) -> x - y, Durations.seconds(2), Durations.seconds(1)));
    collect(pairs.reduceByKeyAndWindow(Integer::sum, (x, y) -> x - y, Durations.seconds(2), Durations.seconds(1), 2,
        kv -> kv._2() != 0).mapToPair(kv -> new Tuple2<>("filtered " + kv._1(), kv._2())));
    collect(pairs.reduceByKeyAndWindow(Integer::sum, Durations.seconds(2), Durations.seconds(1))
        .mapToPair(kv -> new Tuple2<>("plain " + kv._1(), kv._2())));
    ssc.start();
    for (int i = 0; i < 4; i++) {
      clock.advance();
    }
    Map<String, String> byTime = new TreeMap<>();
    for (String line : out) {
      byTime.merge(line.substring(0, 1), line.substring(3), (a, b) -> a + " " + b);
    }
    assertEquals("[(a,1), (b,1)] [(filtered a,1), (filtered b,1)] [(plain a,1), (plain b,1)]", byTime.get("1"));
    assertEquals("[(a,2), (b,1)] [(filtered a,2), (filtered b,1)] [(plain a,2), (plain b,1)]", byTime.get("2"));
    assertEquals("[(a,1), (b,0)] [(filtered a,1)] [(plain a,1)]", byTime.get("3"));
    assertEquals("[(a,0), (b,0)] [] []", byTime.get("4"), "the inverse keeps keys at zero; the filter drops them");
  }

  /** Every key in the last of three partitions. */
  static final class LastOfThree extends Partitioner {
    @Override
    public int numPartitions() {
      return 3;
    }

    @Override
    public int getPartition(Object key) {
      return 2;
    }
  }

  @Test
  void windowOperationsTakeAPartitionerAsSpark() throws Exception {
    ssc.checkpoint(tmp.resolve("cp").toString());
    JavaPairDStream<String, Integer> pairs = queue(List.of("a", "b"), List.of("a"))
        .mapToPair(w -> new Tuple2<>(w, 1));
    Partitioner last = new LastOfThree();
    pairs.reduceByKeyAndWindow(Integer::sum, (x, y) -> x - y, Durations.seconds(2), Durations.seconds(1), last, null)
        .foreachRDD((rdd, t) -> out.add(t.milliseconds() / 1000 + " inverse " + rdd.glom().collect()));
    pairs.reduceByKeyAndWindow(Integer::sum, Durations.seconds(2), Durations.seconds(1), last)
        .foreachRDD((rdd, t) -> out.add(t.milliseconds() / 1000 + " plain " + rdd.glom().collect()));
    pairs.groupByKeyAndWindow(Durations.seconds(2), Durations.seconds(1), last)
        .foreachRDD((rdd, t) -> out.add(t.milliseconds() / 1000 + " group " + rdd.glom().collect()));
    ssc.start();
    clock.advance();
    clock.advance();
    assertEquals(List.of("1 inverse [[], [], [(a,1), (b,1)]]", "1 plain [[], [], [(a,1), (b,1)]]",
        "1 group [[], [], [(a,[1]), (b,[1])]]", "2 inverse [[], [], [(a,2), (b,1)]]",
        "2 plain [[], [], [(a,2), (b,1)]]", "2 group [[], [], [(a,[1, 1]), (b,[1])]]"), out);
  }

  @Test
  void countByWindowAndCountByValueAndWindow() throws Exception {
    ssc.checkpoint(tmp.resolve("cp").toString());
    JavaDStream<String> words = queue(List.of("x", "y", "x"), List.of("y"), List.of());
    collect(words.countByWindow(Durations.seconds(2), Durations.seconds(1)));
    collect(words.countByValueAndWindow(Durations.seconds(2), Durations.seconds(1)));
    ssc.start();
    for (int i = 0; i < 4; i++) {
      clock.advance();
    }
    assertEquals(List.of("1: [3]", "1: [(x,2), (y,1)]", "2: [4]", "2: [(x,2), (y,2)]", "3: [1]", "3: [(y,1)]",
        "4: [0]", "4: []"), out);
  }

  @Test
  void saveAsTextFilesWritesADirectoryPerBatchNamedAsSpark() throws Exception {
    JavaDStream<String> words = queue(List.of("x", "y", "z"));
    String prefix = tmp.resolve("out").toString();
    words.saveAsTextFiles(prefix, "txt");
    ssc.start();
    clock.advance();
    Path dir = Path.of(prefix + "-1000.txt");
    assertEquals(List.of("x"), java.nio.file.Files.readAllLines(dir.resolve("part-00000")));
    assertEquals(List.of("y", "z"), java.nio.file.Files.readAllLines(dir.resolve("part-00001")));
    assertTrue(java.nio.file.Files.exists(dir.resolve("_SUCCESS")));
  }

  @Test
  void joinsPerBatch() throws Exception {
    JavaPairDStream<String, Integer> left = queue(List.of("a", "b", "b"), List.of("c"))
        .mapToPair(w -> new Tuple2<>(w, w.length()));
    JavaPairDStream<String, String> right = queue(List.of("b", "d"), List.of())
        .mapToPair(w -> new Tuple2<>(w, w.toUpperCase()));
    collect(left.join(right).mapToPair(kv -> new Tuple2<>("join " + kv._1(), kv._2())));
    collect(left.leftOuterJoin(right).mapToPair(kv -> new Tuple2<>("left " + kv._1(), kv._2())));
    collect(left.fullOuterJoin(right).mapToPair(kv -> new Tuple2<>("full " + kv._1(), kv._2())));
    ssc.start();
    clock.advance();
    clock.advance();
    assertEquals(List.of(
        "1: [(join b,(1,B)), (join b,(1,B))]",
        "1: [(left a,(1,Optional.empty)), (left b,(1,Optional[B])), (left b,(1,Optional[B]))]",
        "1: [(full a,(Optional[1],Optional.empty)), (full b,(Optional[1],Optional[B])), "
            + "(full b,(Optional[1],Optional[B])), (full d,(Optional.empty,Optional[D]))]",
        "2: []", "2: [(left c,(1,Optional.empty))]", "2: [(full c,(Optional[1],Optional.empty))]"), out);
  }

  @Test
  void updateStateByKeyKeepsARunningCountAndDropsAbsentStates() throws Exception {
    ssc.checkpoint(tmp.resolve("cp").toString());
    JavaPairDStream<String, Integer> words = queue(List.of("a", "b", "a"), List.of("b"), List.of("stop"))
        .mapToPair(w -> new Tuple2<>(w, 1));
    collect(words.updateStateByKey((List<Integer> values, Optional<Integer> state) -> {
      if (!values.isEmpty() && values.size() == 1 && state.orElse(0) == 1) {
        return Optional.empty(); // a key seen once before and once now is dropped
      }
      int sum = state.orElse(0);
      for (int v : values) {
        sum += v;
      }
      return Optional.of(sum);
    }));
    ssc.start();
    clock.advance();
    clock.advance();
    clock.advance();
    clock.advance();
    assertEquals(List.of("1: [(a,2), (b,1)]", "2: [(a,2)]", "3: [(a,2), (stop,1)]", "4: [(a,2), (stop,1)]"), out);
  }

  @Test
  void mapWithStateMapsEachRecordWithItsStateAndTimesOutIdleKeys() throws Exception {
    ssc.checkpoint(tmp.resolve("cp").toString());
    JavaPairDStream<String, Integer> words = queue(List.of("a", "b", "a"), List.of("a"), List.of(), List.of(),
        List.of()).mapToPair(w -> new Tuple2<>(w, 1));
    io.freshet.spark.streaming.StateSpec<String, Integer, Integer, String> spec =
        io.freshet.spark.streaming.StateSpec.<String, Integer, Integer, String>function((word, one, state) -> {
          if (state.isTimingOut()) {
            return word + " timed out at " + state.get();
          }
          int sum = one.orElse(0) + (state.exists() ? state.get() : 0);
          state.update(sum);
          return word + "=" + sum;
        }).timeout(Durations.seconds(2));
    io.freshet.spark.streaming.api.java.JavaMapWithStateDStream<String, Integer, Integer, String> mapped =
        words.mapWithState(spec);
    collect(mapped);
    collect(mapped.stateSnapshots().mapToPair(kv -> new Tuple2<>("state " + kv._1(), kv._2())));
    ssc.start();
    for (int i = 0; i < 5; i++) {
      clock.advance();
    }
    // b gets no data after 1 s and a none after 2 s; each times out once it has been idle longer than 2 s.
    assertEquals(List.of(
        "1: [a=1, a=2, b=1]", "1: [(state a,2), (state b,1)]",
        "2: [a=3]", "2: [(state a,3), (state b,1)]",
        "3: []", "3: [(state a,3), (state b,1)]",
        "4: [b timed out at 1]", "4: [(state a,3)]",
        "5: [a timed out at 3]", "5: []"), out);
  }

  /** Spark's lazily created singletons for a broadcast variable and an accumulator (RecoverableNetworkWordCount). */
  static final class ExcludeList {
    private static volatile io.freshet.spark.broadcast.Broadcast<List<String>> instance;

    static io.freshet.spark.broadcast.Broadcast<List<String>> getInstance(
        io.freshet.spark.api.java.JavaSparkContext jsc) {
      if (instance == null) {
        synchronized (ExcludeList.class) {
          if (instance == null) {
            instance = jsc.broadcast(List.of("a", "b"));
          }
        }
      }
      return instance;
    }
  }

  static final class DroppedWords {
    private static volatile io.freshet.spark.util.LongAccumulator instance;

    static io.freshet.spark.util.LongAccumulator getInstance(
        io.freshet.spark.api.java.JavaSparkContext jsc) {
      if (instance == null) {
        synchronized (DroppedWords.class) {
          if (instance == null) {
            instance = jsc.sc().longAccumulator("DroppedWordsCounter");
          }
        }
      }
      return instance;
    }
  }

  @Test
  void broadcastVariablesAndAccumulatorsInTheSingletonPattern() throws Exception {
    DroppedWords.instance = null; // a singleton lives as long as the JVM: each run of this test starts afresh
    JavaPairDStream<String, Integer> counts = queue(List.of("a", "c", "b", "c"), List.of("a", "d"))
        .mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum);
    counts.foreachRDD((rdd, time) -> {
      io.freshet.spark.api.java.JavaSparkContext jsc =
          new io.freshet.spark.api.java.JavaSparkContext(rdd.context());
      io.freshet.spark.broadcast.Broadcast<List<String>> exclude = ExcludeList.getInstance(jsc);
      io.freshet.spark.util.LongAccumulator dropped = DroppedWords.getInstance(jsc);
      List<String> kept = new ArrayList<>();
      for (Tuple2<String, Integer> kv : rdd.collect()) {
        if (exclude.value().contains(kv._1())) {
          dropped.add(kv._2());
        } else {
          kept.add(kv.toString());
        }
      }
      kept.sort(null);
      out.add(time.milliseconds() / 1000 + ": " + kept + " dropped so far " + dropped.value());
    });
    ssc.start();
    clock.advance();
    clock.advance();
    assertEquals(List.of("1: [(c,2)] dropped so far 2", "2: [(d,1)] dropped so far 3"), out);
    assertEquals("DroppedWordsCounter", DroppedWords.instance.name().get());
  }

  /** A receiver that stores what it is given, and says when it starts and stops. */
  static final class ListReceiver extends io.freshet.spark.streaming.receiver.Receiver<String> {
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    ListReceiver() {
      super(io.freshet.spark.storage.StorageLevel.MEMORY_AND_DISK_SER_2);
    }

    @Override
    public void onStart() {
      events.add("start");
      store("first");
    }

    @Override
    public void onStop() {
      events.add("stop");
    }
  }

  @Test
  void receiverStreamsCarryWhatTheReceiverStoresIntoTheNextBatch() throws Exception {
    ListReceiver receiver = new ListReceiver();
    List<String> lifecycle = new java.util.concurrent.CopyOnWriteArrayList<>();
    ssc.addStreamingListener(new io.freshet.spark.streaming.scheduler.StreamingListener() {
      @Override
      public void onReceiverStarted(io.freshet.spark.streaming.scheduler.StreamingListenerReceiverStarted e) {
        lifecycle.add("started " + e.receiverInfo().name());
      }

      @Override
      public void onReceiverStopped(io.freshet.spark.streaming.scheduler.StreamingListenerReceiverStopped e) {
        lifecycle.add("stopped " + e.receiverInfo().name());
      }
    });
    collect(ssc.receiverStream(receiver));
    ssc.start();
    clock.advance();
    receiver.store(List.of("x", "y").iterator());
    receiver.store("z");
    clock.advance();
    clock.advance();
    ssc.stop();
    assertEquals(List.of("1: [first]", "2: [x, y, z]", "3: []"), out);
    assertEquals(List.of("start", "stop"), receiver.events);
    assertEquals(List.of("started ListReceiver", "stopped ListReceiver"), lifecycle);
    assertTrue(receiver.isStopped());
  }

  @Test
  void statefulStreamsNeedACheckpointDirectory() {
    queue(List.of("a")).mapToPair(w -> new Tuple2<>(w, 1))
        .updateStateByKey((List<Integer> v, Optional<Integer> s) -> s).print();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ssc::start);
    assertEquals("requirement failed: The checkpoint directory has not been set. Please set it by "
        + "StreamingContext.checkpoint().", e.getMessage());
  }

  @Test
  void windowsMustBeMultiplesOfTheBatchInterval() {
    JavaDStream<Integer> numbers = queue(List.of(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> numbers.window(Durations.milliseconds(1500)));
    assertEquals("The window duration of windowed DStream (1500 ms) must be a multiple of the slide duration of "
        + "parent DStream (1000 ms)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> numbers.window(Durations.seconds(2), Durations.milliseconds(500)));
    assertEquals("The slide duration of windowed DStream (500 ms) must be a multiple of the slide duration of "
        + "parent DStream (1000 ms)", e.getMessage());
  }

  @Test
  void lifecycleRulesUseSparksMessages() throws Exception {
    JavaDStream<Integer> numbers = queue(List.of(1));
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, ssc::start);
    assertEquals("requirement failed: No output operations registered, so nothing to execute", none.getMessage());
    numbers.foreachRDD(rdd -> { });
    ssc.start();
    assertEquals(StreamingContextState.ACTIVE, ssc.getState());
    IllegalStateException afterStart = assertThrows(IllegalStateException.class, () -> numbers.map(x -> x));
    assertEquals("Adding new inputs, transformations, and output operations after starting a context is not "
        + "supported", afterStart.getMessage());
    JavaStreamingContext other = new JavaStreamingContext("local[2]", "other", Durations.seconds(1));
    Queue<JavaRDD<Integer>> q = new LinkedList<>();
    other.queueStream(q).print();
    IllegalStateException second = assertThrows(IllegalStateException.class, other::start);
    assertTrue(second.getMessage().startsWith("Only one StreamingContext may be started in this JVM."),
        second.getMessage());
    ssc.stop();
    assertEquals(StreamingContextState.STOPPED, ssc.getState());
    IllegalStateException restart = assertThrows(IllegalStateException.class, ssc::start);
    assertEquals("StreamingContext has already been stopped", restart.getMessage());
    assertThrows(IllegalStateException.class, () -> numbers.map(x -> x));
  }

  @Test
  void anExceptionInAnOutputOperationEndsTheContextAndIsRethrown() throws Exception {
    JavaDStream<Integer> numbers = queue(List.of(1));
    numbers.foreachRDD(rdd -> {
      throw new java.io.IOException("disk on fire");
    });
    ssc.start();
    ((io.freshet.spark.util.ManualClock) ssc.clock()).advance(1000);
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> ssc.awaitTerminationOrTimeout(30_000));
    assertEquals("disk on fire", e.getMessage());
  }
}
