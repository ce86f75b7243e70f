package io.freshet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.JavaSparkContext;
import io.freshet.spark.rdd.ColumnBuilder;
import io.freshet.spark.rdd.ColumnList;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.util.LongAccumulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.Tuple2;

/**
 * How an RDD's elements move: element-wise transformations run when the RDD is used, one element at a time
 * through the whole chain, again at each use unless the RDD is cached (as in Spark); partitions run as parallel
 * tasks on the master's threads; kept RDDs are stored column by column and read back equal.
 */
class RddPipelineTest {
  @TempDir
  Path tmp;

  @Test
  void transformationsRunAtEachUseUnlessCached() {
    try (JavaSparkContext sc = new JavaSparkContext("local[2]", "lazy")) {
      LongAccumulator calls = sc.sc().longAccumulator();
      JavaRDD<Integer> doubled = sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
        calls.add(1);
        return x * 2;
      });
      assertEquals(0, calls.sum(), "nothing runs before the RDD is used");
      assertEquals(4, doubled.count());
      assertEquals(List.of(2, 4, 6, 8), doubled.collect());
      assertEquals(8, calls.sum(), "two uses, two runs, as Spark without cache");
      calls.reset();
      JavaRDD<Integer> kept = sc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
        calls.add(1);
        return x * 2;
      }).cache();
      assertEquals(20, kept.reduce(Integer::sum));
      assertEquals(List.of(2, 4, 6, 8), kept.collect());
      assertEquals(List.of(2, 4), kept.take(2));
      assertEquals(4, calls.sum(), "a cached RDD runs once");
    }
  }

  @Test
  void takeComputesOnlyWhatItNeeds() {
    try (JavaSparkContext sc = new JavaSparkContext("local[2]", "take")) {
      LongAccumulator calls = sc.sc().longAccumulator();
      JavaRDD<Integer> rdd = sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 2).map(x -> {
        calls.add(1);
        return x;
      });
      assertEquals(List.of(1, 2), rdd.take(2));
      assertEquals(2, calls.sum());
      assertEquals(1, rdd.first());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "local[2]", "local[4]"})
  void partitionsRunAsTasksOnTheMastersThreadsAndKeepTheirOrder(String master) throws Exception {
    int threads = master.equals("local") ? 1 : Integer.parseInt(master.replaceAll("\\D", ""));
    try (JavaSparkContext sc = new JavaSparkContext(master, "tasks")) {
      Set<String> names = ConcurrentHashMap.newKeySet();
      // With two or more threads, two tasks are inside at once: each waits for the other (a deadline only
      // against a hang), so the test fails if they run one after another.
      CountDownLatch both = new CountDownLatch(2);
      List<Integer> numbers = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        numbers.add(i);
      }
      JavaRDD<Integer> rdd = sc.parallelize(numbers, 4).mapPartitions(it -> {
        names.add(Thread.currentThread().getName());
        both.countDown();
        if (threads > 1 && !both.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the partitions did not run at the same time");
        }
        List<Integer> out = new ArrayList<>();
        it.forEachRemaining(x -> out.add(x + 1));
        return out.iterator();
      });
      JavaPairRDD<Integer, Integer> byTens = rdd.mapToPair(x -> new Tuple2<>(x / 100, 1)).reduceByKey(Integer::sum, 3);
      List<Tuple2<Integer, Integer>> counts = new ArrayList<>(byTens.collect());
      counts.sort((a, b) -> a._1() - b._1());
      List<Tuple2<Integer, Integer>> expected = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        expected.add(new Tuple2<>(k, k == 0 ? 99 : 100));
      }
      expected.add(new Tuple2<>(10, 1));
      assertEquals(expected, counts);
      assertEquals(numbers.size(), rdd.count());
      List<Integer> plusOne = new ArrayList<>();
      numbers.forEach(x -> plusOne.add(x + 1));
      assertEquals(plusOne, rdd.collect(), "collect keeps partition order whatever ran first");
      assertEquals(Math.min(threads, 4) > 1, names.size() > 1, "threads used: " + names);
    }
  }

  /** Refuses to be used from a second thread, as a shared SimpleDateFormat would go wrong. */
  public static final class OneThreadOnly implements java.io.Serializable {
    /** Where {@link Guarded}'s tasks wait for each other (a class another loader defines reaches it here). */
    public static volatile CountDownLatch gate;
    private transient Thread owner;

    public int use(int x) {
      if (owner == null) {
        owner = Thread.currentThread();
      } else if (owner != Thread.currentThread()) {
        throw new IllegalStateException("used from two threads at once");
      }
      return x;
    }
  }

  private static CountDownLatch together;

  @Test
  void eachTaskCallsItsOwnCopyOfTheProgramsFunctionAsInSpark() {
    try (JavaSparkContext sc = new JavaSparkContext("local[2]", "copies")) {
      OneThreadOnly scratch = new OneThreadOnly();
      LongAccumulator seen = sc.sc().longAccumulator();
      together = new CountDownLatch(2);
      JavaRDD<Integer> rdd = sc.parallelize(List.of(1, 2, 3, 4), 2).mapPartitions(it -> {
        together.countDown(); // both tasks are inside at once (a deadline only against a hang)
        if (!together.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the tasks did not run at the same time");
        }
        List<Integer> out = new ArrayList<>();
        it.forEachRemaining(x -> {
          seen.add(1);
          out.add(scratch.use(x));
        });
        return out.iterator();
      });
      assertEquals(List.of(1, 2, 3, 4), rdd.collect());
      assertEquals(4, seen.sum(), "the copies add to the program's own accumulator");
      // A function that cannot be serialized (Spark would refuse it) is shared by the tasks.
      Object notSerializable = new Object();
      assertEquals(List.of(2, 3, 4, 5), sc.parallelize(List.of(1, 2, 3, 4), 2)
          .map(x -> notSerializable.hashCode() == 0 ? 0 : x + 1).collect());
    }
  }

  /** A function with a scratch object that must not be shared, which waits for the other task to be inside too. */
  public static final class Guarded implements io.freshet.spark.api.java.function.FlatMapFunction<
      java.util.Iterator<Integer>, Integer> {
    private final OneThreadOnly scratch = new OneThreadOnly();

    @Override
    public java.util.Iterator<Integer> call(java.util.Iterator<Integer> it) throws Exception {
      OneThreadOnly.gate.countDown();
      if (!OneThreadOnly.gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the tasks did not run at the same time");
      }
      List<Integer> out = new ArrayList<>();
      it.forEachRemaining(x -> out.add(scratch.use(x) * 10));
      return out.iterator();
    }
  }

  /** Defines {@link Guarded} itself (as the source launcher defines a program's classes); the rest from its parent. */
  static final class OwnLoader extends ClassLoader {
    OwnLoader() {
      super(RddPipelineTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(Guarded.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (java.io.InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (java.io.IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aFunctionOfAClassOnlyItsOwnLoaderKnowsIsCopiedToo() throws Exception {
    Class<?> own = new OwnLoader().loadClass(Guarded.class.getName());
    assertTrue(own != Guarded.class, "defined by its own loader");
    io.freshet.spark.api.java.function.FlatMapFunction<java.util.Iterator<Integer>, Integer> f =
        (io.freshet.spark.api.java.function.FlatMapFunction<java.util.Iterator<Integer>, Integer>)
            own.getDeclaredConstructor().newInstance();
    try (JavaSparkContext sc = new JavaSparkContext("local[2]", "loaders")) {
      OneThreadOnly.gate = new CountDownLatch(2);
      assertEquals(List.of(10, 20, 30, 40), sc.parallelize(List.of(1, 2, 3, 4), 2).mapPartitions(f).collect());
    }
  }

  @Test
  void aTasksErrorReachesTheProgramAsThrown() {
    try (JavaSparkContext sc = new JavaSparkContext("local[2]", "errors")) {
      JavaRDD<Integer> rdd = sc.parallelize(List.of(1, 2, 3, 4), 4).map(x -> {
        if (x == 3) {
          throw new IllegalArgumentException("three is not allowed");
        }
        return x;
      });
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, rdd::count);
      assertEquals("three is not allowed", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> rdd.mapToPair(x -> new Tuple2<>(x, x))
          .reduceByKey(Integer::sum).collect());
    }
  }

  @Test
  void aStreamReadTwiceComputesEachBatchOnceAndAStreamReadOnceStoresNothing() throws Exception {
    JavaStreamingContext ssc = manualContext("consumers");
    try {
      BatchClock clock = new BatchClock(ssc, 1000);
      LongAccumulator splits = ssc.sparkContext().sc().longAccumulator();
      LinkedList<JavaRDD<String>> queue = new LinkedList<>();
      queue.add(ssc.sparkContext().parallelize(List.of("a b", "b c"), 2));
      queue.add(ssc.sparkContext().parallelize(List.of("c"), 2));
      JavaDStream<String> words = ssc.queueStream(queue).flatMap(l -> {
        splits.add(1);
        return Arrays.asList(l.split(" ")).iterator();
      });
      JavaPairDStream<String, Integer> counts = words.mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum);
      List<String> out = Collections.synchronizedList(new ArrayList<>());
      List<Boolean> stored = Collections.synchronizedList(new ArrayList<>());
      counts.foreachRDD((rdd, t) -> {
        List<Tuple2<String, Integer>> c = new ArrayList<>(rdd.collect());
        c.sort((a, b) -> a._1().compareTo(b._1()));
        out.add(t.milliseconds() / 1000 + " " + c);
      });
      words.foreachRDD((rdd, t) -> {
        out.add(t.milliseconds() / 1000 + " words " + rdd.count());
        stored.add(rdd.rdd().isStored());
      });
      ssc.start();
      clock.advance();
      assertEquals(2, splits.sum(), "two lines split once each, though the words go to two outputs");
      clock.advance();
      assertEquals(3, splits.sum());
      assertEquals(List.of("1 [(a,1), (b,2), (c,1)]", "1 words 4", "2 [(c,1)]", "2 words 1"), out);
      assertEquals(List.of(true, true), stored, "a stream with two readers keeps its batches");
    } finally {
      ssc.stop();
    }
  }

  /** Stores 120 001 numbered lines, in one call, when it starts. */
  static final class ManyLines extends io.freshet.spark.streaming.receiver.Receiver<String> {
    ManyLines() {
      super(io.freshet.spark.storage.StorageLevel.MEMORY_AND_DISK_SER_2);
    }

    @Override
    public void onStart() {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 120_001; i++) {
        lines.add("line " + i);
      }
      store(lines.iterator());
    }

    @Override
    public void onStop() {
    }
  }

  @Test
  void receivedDataWaitsInColumnsAndComesInBlocks() throws Exception {
    JavaStreamingContext ssc = manualContext("blocks");
    try {
      BatchClock clock = new BatchClock(ssc, 1000);
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      ssc.receiverStream(new ManyLines()).foreachRDD((rdd, t) -> {
        if (rdd.isEmpty()) {
          return;
        }
        List<Integer> sizes = new ArrayList<>();
        boolean columns = true;
        for (List<String> p : rdd.rdd().partitions()) {
          sizes.add(p.size());
          columns &= p instanceof ColumnList;
        }
        seen.add(sizes + " " + columns + " " + rdd.filter(l -> l.endsWith("0")).count() + " " + rdd.first());
      });
      ssc.start();
      clock.advance();
      clock.advance();
      assertEquals(List.of("[50000, 50000, 20001] true 12001 line 0"), seen);
    } finally {
      ssc.stop();
    }
  }

  @Test
  void keptPartitionsAreStoredInColumnsAndReadBackEqual() throws Exception {
    List<Object> strings = Arrays.asList("plain", "", null, "naïve ☃ 𝄞", "x".repeat(1000));
    List<Object> ints = Arrays.asList(1, null, -7, Integer.MAX_VALUE);
    List<Object> longs = Arrays.asList(null, null, 3L, Long.MIN_VALUE);
    List<Object> doubles = Arrays.asList(1.5, Double.NaN, null, -0.0);
    List<Object> pairs = Arrays.asList(new Tuple2<>("a", 1), null, new Tuple2<>("b", 2));
    List<Object> nested = Arrays.asList(new Tuple2<>("k", new Tuple2<>(1L, 2.0)), new Tuple2<>("l",
        new Tuple2<>(3L, 4.0)));
    for (List<Object> column : List.of(strings, ints, longs, doubles, pairs, nested)) {
      List<Object> built = build(column);
      assertTrue(built instanceof ColumnList, "stored in columns: " + column);
      assertEquals(column, built);
      assertEquals(column, roundTrip(built));
    }
    // Elements of another kind after the first: kept as they are, in order.
    List<Object> mixed = Arrays.asList("a", "b", 3, "d");
    assertEquals(mixed, build(mixed));
    List<Object> mixedPairs = Arrays.asList(new Tuple2<>("a", 1), new Tuple2<>("b", 2L), new Tuple2<>(null, 3));
    assertEquals(mixedPairs, build(mixedPairs));
    // A lone surrogate (a string cut inside an emoji) has no UTF-8 form: such strings are kept as they are.
    List<Object> cut = Arrays.asList("ok", "ab\uD83D", "\uDE00", "é\uD83D\uDE00");
    assertEquals(cut, build(cut));
    List<Object> objects = Arrays.asList(List.of(1), List.of(2));
    assertEquals(objects, build(objects));
    List<Object> nulls = Arrays.asList(null, null);
    assertEquals(nulls, build(nulls));
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(i % 7 == 0 ? null : "w" + i);
    }
    assertEquals(many, build(many));
    assertThrows(UnsupportedOperationException.class, () -> build(strings).add("more"));
  }

  @Test
  void aCachedPairRddIsReadBackInColumns() {
    try (JavaSparkContext sc = new JavaSparkContext("local[2]", "columns")) {
      JavaPairRDD<String, Integer> counts = sc.parallelize(List.of("a", "b", "a"), 2)
          .mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum).cache();
      assertEquals(List.of(new Tuple2<>("b", 1), new Tuple2<>("a", 2)), counts.collect());
      for (List<Tuple2<String, Integer>> p : counts.rdd().partitions()) {
        assertTrue(p instanceof ColumnList || p.isEmpty(), p.getClass().getName());
      }
      assertSame(counts.rdd().partitions(), counts.rdd().partitions());
    }
  }

  /** A context of 1-second batches on two threads and a manual clock (a BatchClock drives it). */
  private static JavaStreamingContext manualContext(String name) {
    return new JavaStreamingContext(new io.freshet.spark.SparkConf().setMaster("local[2]").setAppName(name)
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock"), Durations.seconds(1));
  }

  private static List<Object> build(List<Object> elements) {
    ColumnBuilder<Object> b = new ColumnBuilder<>();
    elements.forEach(b::add);
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> roundTrip(List<Object> list) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(list);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (List<Object>) in.readObject();
    }
  }
}
