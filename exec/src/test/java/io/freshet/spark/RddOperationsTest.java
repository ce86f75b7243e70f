package io.freshet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.JavaRDDLike;
import io.freshet.spark.api.java.JavaSparkContext;
import io.freshet.spark.api.java.StorageLevels;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.Time;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaDStreamLike;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The per-batch RDD API that programs call inside {@code foreachRDD} and {@code transform}, batch by batch on a
 * manual clock, against outputs written by hand from Spark's documented semantics. The batches: {@code [3, 1, 2,
 * 3, 5]} in two partitions ({@code [3, 1]} and {@code [2, 3, 5]}), {@code [4, 4]} ({@code [4]}, {@code [4]}) and an
 * empty one. Where Spark leaves order to its shuffle (distinct, the keyed operations), keys are placed by hash code
 * (an Integer's is itself, "a" is 97, "b" 98, ...) and kept in the order first seen, which the outputs show.
 */
class RddOperationsTest {
  @TempDir
  Path tmp;
  private JavaStreamingContext ssc;
  private JavaSparkContext sc;
  private BatchClock clock;
  /** Per operation, what each batch gave. */
  private final Map<String, List<String>> out = new LinkedHashMap<>();

  @BeforeEach
  void setUp() {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("test")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    sc = ssc.sparkContext();
    clock = new BatchClock(ssc, 1000);
  }

  @AfterEach
  void tearDown() {
    ssc.stop();
  }

  /**
   * Registers {@code op} of each batch of pairs under {@code name}: {@code [(a,1), (b,2)]} and {@code [(a,3),
   * (c,4)]}, then {@code []} and {@code [(d,5)]}, then an empty batch; an exception is recorded by its message.
   */
  private void pairs(String name, Function<JavaPairRDD<String, Integer>, Object> op) {
    out.put(name, new ArrayList<>());
    pairs.foreachRDD(rdd -> record(name, () -> op.apply(rdd)));
  }

  private void record(String name, java.util.function.Supplier<Object> op) {
    String result;
    try {
      result = String.valueOf(op.get());
    } catch (RuntimeException e) {
      result = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    synchronized (out) {
      out.get(name).add(result);
    }
  }

  private JavaPairDStream<String, Integer> pairs;

  @SafeVarargs
  private <T> Queue<JavaRDD<T>> queue(List<T>... batches) {
    Queue<JavaRDD<T>> q = new LinkedList<>();
    for (List<T> b : batches) {
      q.add(sc.parallelize(b, 2));
    }
    return q;
  }

  private JavaDStream<Integer> numberStream() {
    return ssc.queueStream(queue(List.of(3, 1, 2, 3, 5), List.of(4, 4), List.of()));
  }

  /** Runs the three batches and returns each operation's outputs. */
  private Map<String, List<String>> run() throws InterruptedException {
    ssc.start();
    clock.advance();
    clock.advance();
    clock.advance();
    return out;
  }

  private static List<String> batches(String... each) {
    return Arrays.asList(each);
  }

  @Test
  void elementWiseTransformationsKeepPartitionsAndOrder() throws Exception {
    register(numberStream());
    Map<String, List<String>> got = run();
    assertEquals(batches("[30, 10, 20, 30, 50]", "[40, 40]", "[]"), got.get("map"));
    assertEquals(batches("[3, -3, 1, -1, 2, -2, 3, -3, 5, -5]", "[4, -4, 4, -4]", "[]"), got.get("flatMap"));
    assertEquals(batches("[3, 1, 3, 5]", "[]", "[]"), got.get("filter"));
    assertEquals(batches("[[3, 1], [2, 3, 5]]", "[[4], [4]]", "[[], []]"), got.get("glom"));
    assertEquals(batches("[4, 10]", "[4, 4]", "[0, 0]"), got.get("mapPartitions"));
    assertEquals(batches("[0:[3, 1], 1:[2, 3, 5]]", "[0:[4], 1:[4]]", "[0:[], 1:[]]"),
        got.get("mapPartitionsWithIndex"));
    assertEquals(batches("[(1,3), (1,1), (0,2), (1,3), (1,5)]", "[(0,4), (0,4)]", "[]"), got.get("mapToPair"));
    assertEquals(batches("[(3,3), (3,-3), (1,1), (1,-1), (2,2), (2,-2), (3,3), (3,-3), (5,5), (5,-5)]",
        "[(4,4), (4,-4), (4,4), (4,-4)]", "[]"), got.get("flatMapToPair"));
    assertEquals(batches("[(k3,3), (k1,1), (k2,2), (k3,3), (k5,5)]", "[(k4,4), (k4,4)]", "[]"), got.get("keyBy"));
    // The RDD of a partition of this and one of the other is partition i * 2 + j.
    assertEquals(batches("[(3,a), (1,a), (3,b), (1,b), (2,a), (3,a), (5,a), (2,b), (3,b), (5,b)]",
        "[(4,a), (4,b), (4,a), (4,b)]", "[]"), got.get("cartesian"));
    assertEquals(batches("[(3,6), (1,2), (2,4), (3,6), (5,10)]", "[(4,8), (4,8)]", "[]"), got.get("zip"));
    assertEquals(batches("[(3,0), (1,1), (2,2), (3,3), (5,4)]", "[(4,0), (4,1)]", "[]"), got.get("zipWithIndex"));
    assertEquals(batches("[(3,0), (1,2), (2,1), (3,3), (5,5)]", "[(4,0), (4,1)]", "[]"),
        got.get("zipWithUniqueId"));
    assertEquals(batches("IllegalArgumentException: Can only zip RDDs with same number of elements in each "
        + "partition", "IllegalArgumentException: Can only zip RDDs with same number of elements in each partition",
        "[]"), got.get("zip unequal"));
    assertEquals(batches("[[3, 1], [2, 3, 5]]", "[[4], [4]]", "[[], []]"), got.get("cache/persist/unpersist"));
  }

  private void register(JavaDStream<Integer> stream) {
    JavaRDD<String> letters = sc.parallelize(List.of("a", "b"), 2);
    on(stream, "map", rdd -> rdd.map(x -> x * 10).collect());
    on(stream, "flatMap", rdd -> rdd.flatMap(x -> List.of(x, -x).iterator()).collect());
    on(stream, "filter", rdd -> rdd.filter(x -> x % 2 == 1).collect());
    on(stream, "glom", rdd -> rdd.glom().collect());
    on(stream, "mapPartitions", rdd -> rdd.mapPartitions(it -> {
      int sum = 0;
      while (it.hasNext()) {
        sum += it.next();
      }
      return List.of(sum).iterator();
    }).collect());
    on(stream, "mapPartitionsWithIndex", rdd -> rdd.mapPartitionsWithIndex((i, it) -> {
      List<Integer> items = new ArrayList<>();
      it.forEachRemaining(items::add);
      return List.of(i + ":" + items).iterator();
    }, false).collect());
    on(stream, "mapToPair", rdd -> rdd.mapToPair(x -> new Tuple2<>(x % 2, x)).collect());
    on(stream, "flatMapToPair", rdd -> rdd.flatMapToPair(x -> List.of(new Tuple2<>(x, x), new Tuple2<>(x, -x))
        .iterator()).collect());
    on(stream, "keyBy", rdd -> rdd.keyBy(x -> "k" + x).collect());
    on(stream, "cartesian", rdd -> rdd.cartesian(letters).collect());
    on(stream, "zip", rdd -> rdd.zip(rdd.map(x -> x * 2)).collect());
    on(stream, "zipWithIndex", rdd -> rdd.zipWithIndex().collect());
    on(stream, "zipWithUniqueId", rdd -> rdd.zipWithUniqueId().collect());
    on(stream, "zip unequal", rdd -> rdd.zip(rdd.filter(x -> x != 1 && x != 4)).collect());
    on(stream, "cache/persist/unpersist", rdd -> rdd.cache().persist(StorageLevels.MEMORY_ONLY).unpersist()
        .unpersist(true).glom().collect());
  }

  /** Registers {@code op} of each batch of {@code stream} under {@code name}. */
  private void on(JavaDStream<Integer> stream, String name, Function<JavaRDD<Integer>, Object> op) {
    out.put(name, new ArrayList<>());
    stream.foreachRDD(rdd -> record(name, () -> op.apply(rdd)));
  }

  @Test
  void setOperationsSortingAndSampling() throws Exception {
    JavaDStream<Integer> stream = numberStream();
    JavaRDD<Integer> statics = sc.parallelize(List.of(3, 4, 7), 2);
    JavaRDD<Integer> nine = sc.parallelize(List.of(9), 1);
    on(stream, "distinct", rdd -> rdd.distinct().glom().collect());
    on(stream, "distinct(3)", rdd -> rdd.distinct(3).glom().collect());
    on(stream, "union", rdd -> rdd.union(nine).glom().collect());
    on(stream, "intersection", rdd -> rdd.intersection(statics).collect());
    on(stream, "subtract", rdd -> rdd.subtract(statics).glom().collect());
    on(stream, "sortBy desc", rdd -> rdd.sortBy(x -> x, false, 1).collect());
    on(stream, "sortBy asc", rdd -> rdd.sortBy(x -> -x, true, 2).glom().collect());
    on(stream, "coalesce(1)", rdd -> rdd.coalesce(1).glom().collect());
    on(stream, "coalesce(5)", rdd -> rdd.coalesce(5).glom().collect());
    on(stream, "repartition(3)", rdd -> rdd.repartition(3).glom().collect());
    on(stream, "groupBy", rdd -> rdd.groupBy(x -> x % 2).collect());
    on(stream, "sample", rdd -> {
      List<Integer> a = rdd.sample(false, 0.5, 42).collect();
      List<Integer> b = rdd.sample(false, 0.5, 42).collect();
      List<Integer> all = rdd.sample(false, 1.0, 1).collect();
      List<Integer> none = rdd.sample(true, 0.0, 1).collect();
      List<Integer> rest = new ArrayList<>(rdd.collect());
      boolean subset = a.stream().allMatch(rest::remove);
      return a.equals(b) + " " + subset + " " + all + " " + none;
    });
    on(stream, "takeSample", rdd -> {
      List<Integer> a = rdd.takeSample(false, 3, 7);
      List<Integer> rest = new ArrayList<>(rdd.collect());
      boolean subset = a.stream().allMatch(rest::remove);
      List<Integer> whole = new ArrayList<>(rdd.takeSample(false, 10, 7));
      whole.sort(null);
      List<Integer> sorted = new ArrayList<>(rdd.collect());
      sorted.sort(null);
      return a.equals(rdd.takeSample(false, 3, 7)) + " " + a.size() + " " + subset + " " + whole.equals(sorted)
          + " " + rdd.takeSample(true, 8, 7).size();
    });
    Map<String, List<String>> got = run();
    // Sampled without replacement: repeatable, 3 (or all, shuffled) of the elements; with: 8 draws, none from none.
    assertEquals(batches("true 3 true true 8", "true 2 true true 8", "true 0 true true 0"), got.get("takeSample"));
    // Hash placement in two partitions: evens in 0, odds in 1, each in the order first seen.
    assertEquals(batches("[[2], [3, 1, 5]]", "[[4], []]", "[[], []]"), got.get("distinct"));
    assertEquals(batches("[[3], [1], [2, 5]]", "[[], [4], []]", "[[], [], []]"), got.get("distinct(3)"));
    assertEquals(batches("[[3, 1], [2, 3, 5], [9]]", "[[4], [4], [9]]", "[[], [], [9]]"), got.get("union"));
    assertEquals(batches("[3]", "[4]", "[]"), got.get("intersection"));
    assertEquals(batches("[[2], [1, 5]]", "[[], []]", "[[], []]"), got.get("subtract"));
    assertEquals(batches("[5, 3, 3, 2, 1]", "[4, 4]", "[]"), got.get("sortBy desc"));
    assertEquals(batches("[[5, 3], [3, 2, 1]]", "[[4], [4]]", "[[], []]"), got.get("sortBy asc"));
    assertEquals(batches("[[3, 1, 2, 3, 5]]", "[[4, 4]]", "[[]]"), got.get("coalesce(1)"));
    assertEquals(batches("[[3, 1], [2, 3, 5]]", "[[4], [4]]", "[[], []]"), got.get("coalesce(5)"));
    assertEquals(batches("[[3, 3], [1, 5], [2]]", "[[4], [4], []]", "[[], [], []]"), got.get("repartition(3)"));
    assertEquals(batches("[(0,[2]), (1,[3, 1, 3, 5])]", "[(0,[4, 4])]", "[]"), got.get("groupBy"));
    for (String batch : got.get("sample")) {
      assertTrue(batch.startsWith("true true "), batch);
    }
    assertEquals(batches("true true [3, 1, 2, 3, 5] []", "true true [4, 4] []", "true true [] []"),
        got.get("sample"));
  }

  @Test
  void actionsFoldFromTheZeroInEveryPartitionAndFailOnEmptyBatchesAsSpark() throws Exception {
    JavaDStream<Integer> stream = numberStream();
    on(stream, "count", JavaRDD::count);
    on(stream, "countByValue", rdd -> new TreeMap<>(rdd.countByValue()));
    on(stream, "first", JavaRDD::first);
    on(stream, "take(3)", rdd -> rdd.take(3));
    on(stream, "takeOrdered(2)", rdd -> rdd.takeOrdered(2));
    on(stream, "takeOrdered(2, reversed)", rdd -> rdd.takeOrdered(2, Comparator.reverseOrder()));
    on(stream, "top(2)", rdd -> rdd.top(2));
    on(stream, "top(2, reversed)", rdd -> rdd.top(2, Comparator.reverseOrder()));
    on(stream, "max/min", rdd -> rdd.max(Comparator.naturalOrder()) + "/" + rdd.min(Comparator.naturalOrder()));
    on(stream, "reduce", rdd -> rdd.reduce(Integer::sum));
    // 1 starts each of the two partitions and the merge of their results: 14 + 3.
    on(stream, "fold(1, +)", rdd -> rdd.fold(1, Integer::sum));
    on(stream, "aggregate", rdd -> rdd.aggregate(new ArrayList<Integer>(), (l, x) -> {
      l.add(x);
      return l;
    }, (a, b) -> {
      a.add(-1);
      a.addAll(b);
      return a;
    }));
    on(stream, "isEmpty", JavaRDD::isEmpty);
    on(stream, "getNumPartitions", JavaRDD::getNumPartitions);
    on(stream, "foreach", rdd -> {
      List<Integer> seen = new ArrayList<>();
      rdd.foreach(seen::add);
      return seen;
    });
    on(stream, "foreachPartition", rdd -> {
      List<Integer> sizes = new ArrayList<>();
      rdd.foreachPartition(it -> {
        int n = 0;
        for (; it.hasNext(); it.next()) {
          n++;
        }
        sizes.add(n);
      });
      return sizes;
    });
    on(stream, "saveAsTextFile", rdd -> {
      Path dir = tmp.resolve("out-" + rdd.count());
      rdd.saveAsTextFile(dir.toString());
      List<String> files = new ArrayList<>();
      try (var list = Files.list(dir)) {
        for (Path f : list.sorted().toList()) {
          files.add(f.getFileName() + "=" + Files.readString(f).replace("\n", "|"));
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return files;
    });
    Map<String, List<String>> got = run();
    assertEquals(batches("5", "2", "0"), got.get("count"));
    assertEquals(batches("{1=1, 2=1, 3=2, 5=1}", "{4=2}", "{}"), got.get("countByValue"));
    String empty = "UnsupportedOperationException: empty collection";
    assertEquals(batches("3", "4", empty), got.get("first"));
    assertEquals(batches("[3, 1, 2]", "[4, 4]", "[]"), got.get("take(3)"));
    assertEquals(batches("[1, 2]", "[4, 4]", "[]"), got.get("takeOrdered(2)"));
    assertEquals(batches("[5, 3]", "[4, 4]", "[]"), got.get("takeOrdered(2, reversed)"));
    assertEquals(batches("[5, 3]", "[4, 4]", "[]"), got.get("top(2)"));
    assertEquals(batches("[1, 2]", "[4, 4]", "[]"), got.get("top(2, reversed)"));
    assertEquals(batches("5/1", "4/4", empty), got.get("max/min"));
    assertEquals(batches("14", "8", empty), got.get("reduce"));
    assertEquals(batches("17", "11", "3"), got.get("fold(1, +)"));
    // Each partition folds into its own copy of the zero; the merge starts from another copy.
    assertEquals(batches("[-1, 3, 1, -1, 2, 3, 5]", "[-1, 4, -1, 4]", "[-1, -1]"), got.get("aggregate"));
    assertEquals(batches("false", "false", "true"), got.get("isEmpty"));
    assertEquals(batches("2", "2", "2"), got.get("getNumPartitions"));
    assertEquals(batches("[3, 1, 2, 3, 5]", "[4, 4]", "[]"), got.get("foreach"));
    assertEquals(batches("[2, 3]", "[1, 1]", "[0, 0]"), got.get("foreachPartition"));
    assertEquals(batches("[_SUCCESS=, part-00000=3|1|, part-00001=2|3|5|]", "[_SUCCESS=, part-00000=4|, "
        + "part-00001=4|]", "[_SUCCESS=, part-00000=, part-00001=]"), got.get("saveAsTextFile"));
  }

  @Test
  void keyedOperationsOfPairRdds() throws Exception {
    this.pairs = ssc.queueStream(queue(List.of(new Tuple2<>("a", 1), new Tuple2<>("b", 2), new Tuple2<>("a", 3),
        new Tuple2<>("c", 4)), List.of(new Tuple2<>("d", 5)), List.<Tuple2<String, Integer>>of()))
        .mapToPair(t -> t);
    JavaPairRDD<String, String> other = sc.parallelizePairs(List.of(new Tuple2<>("a", "x"), new Tuple2<>("c", "y"),
        new Tuple2<>("d", "z")), 2);
    pairs("reduceByKey", rdd -> rdd.reduceByKey(Integer::sum).glom().collect());
    pairs("groupByKey", rdd -> rdd.groupByKey().collect());
    // The zero counts once per input partition that holds the key: "a" is in both.
    pairs("foldByKey", rdd -> rdd.foldByKey(10, Integer::sum).collect());
    pairs("aggregateByKey", rdd -> rdd.aggregateByKey("", (s, v) -> s + v, (x, y) -> x + "+" + y).collect());
    pairs("combineByKey", rdd -> rdd.combineByKey(v -> "<" + v, (c, v) -> c + v, (x, y) -> x + "|" + y, 3)
        .glom().collect());
    pairs("countByKey", rdd -> new TreeMap<>(rdd.countByKey()));
    pairs("collectAsMap", rdd -> new TreeMap<>(rdd.collectAsMap()));
    pairs("lookup(a)", rdd -> rdd.lookup("a"));
    pairs("keys/values", rdd -> rdd.keys().collect() + " " + rdd.values().collect());
    pairs("mapValues", rdd -> rdd.mapValues(v -> v * 10).collect());
    pairs("flatMapValues", rdd -> rdd.flatMapValues(v -> List.of(v, -v).iterator()).collect());
    pairs("sortByKey", rdd -> rdd.sortByKey().glom().collect());
    pairs("sortByKey(false)", rdd -> rdd.sortByKey(false).collect());
    pairs("sortByKey(comparator)", rdd -> rdd.sortByKey(Comparator.<String>reverseOrder(), true, 1).collect());
    pairs("partitionBy", rdd -> rdd.partitionBy(new HashPartitioner(2)).glom().collect());
    pairs("join", rdd -> rdd.join(other).collect());
    pairs("leftOuterJoin", rdd -> rdd.leftOuterJoin(other).collect());
    pairs("rightOuterJoin", rdd -> rdd.rightOuterJoin(other).collect());
    pairs("fullOuterJoin", rdd -> rdd.fullOuterJoin(other).collect());
    pairs("cogroup", rdd -> rdd.cogroup(other).collect());
    pairs("cogroup 3", rdd -> rdd.cogroup(other, other).collect());
    pairs("cogroup 4", rdd -> rdd.cogroup(other, rdd, other).collect());
    pairs("subtractByKey", rdd -> rdd.subtractByKey(other).collect());
    pairs("filter/distinct/count", rdd -> rdd.union(rdd).filter(kv -> kv._2() > 1).distinct().count());
    Map<String, List<String>> got = run();
    // "b" (98) in partition 0; "a" (97), "c" (99) in 1; "d" (100) in 0.
    assertEquals(batches("[[(b,2)], [(a,4), (c,4)]]", "[[(d,5)], []]", "[[], []]"), got.get("reduceByKey"));
    assertEquals(batches("[(b,[2]), (a,[1, 3]), (c,[4])]", "[(d,[5])]", "[]"), got.get("groupByKey"));
    assertEquals(batches("[(b,12), (a,24), (c,14)]", "[(d,15)]", "[]"), got.get("foldByKey"));
    assertEquals(batches("[(b,2), (a,1+3), (c,4)]", "[(d,5)]", "[]"), got.get("aggregateByKey"));
    // 3 partitions: "a" (97) and "d" (100) in 1, "b" (98) in 2, "c" (99) in 0.
    assertEquals(batches("[[(c,<4)], [(a,<1|<3)], [(b,<2)]]", "[[], [(d,<5)], []]", "[[], [], []]"),
        got.get("combineByKey"));
    assertEquals(batches("{a=2, b=1, c=1}", "{d=1}", "{}"), got.get("countByKey"));
    assertEquals(batches("{a=3, b=2, c=4}", "{d=5}", "{}"), got.get("collectAsMap"));
    assertEquals(batches("[1, 3]", "[]", "[]"), got.get("lookup(a)"));
    assertEquals(batches("[a, b, a, c] [1, 2, 3, 4]", "[d] [5]", "[] []"), got.get("keys/values"));
    assertEquals(batches("[(a,10), (b,20), (a,30), (c,40)]", "[(d,50)]", "[]"), got.get("mapValues"));
    assertEquals(batches("[(a,1), (a,-1), (b,2), (b,-2), (a,3), (a,-3), (c,4), (c,-4)]", "[(d,5), (d,-5)]", "[]"),
        got.get("flatMapValues"));
    assertEquals(batches("[[(a,1), (a,3)], [(b,2), (c,4)]]", "[[], [(d,5)]]", "[[], []]"), got.get("sortByKey"));
    assertEquals(batches("[(c,4), (b,2), (a,1), (a,3)]", "[(d,5)]", "[]"), got.get("sortByKey(false)"));
    assertEquals(batches("[(c,4), (b,2), (a,1), (a,3)]", "[(d,5)]", "[]"), got.get("sortByKey(comparator)"));
    assertEquals(batches("[[(b,2)], [(a,1), (a,3), (c,4)]]", "[[(d,5)], []]", "[[], []]"), got.get("partitionBy"));
    assertEquals(batches("[(a,(1,x)), (a,(3,x)), (c,(4,y))]", "[(d,(5,z))]", "[]"), got.get("join"));
    assertEquals(batches("[(b,(2,Optional.empty)), (a,(1,Optional[x])), (a,(3,Optional[x])), (c,(4,Optional[y]))]",
        "[(d,(5,Optional[z]))]", "[]"), got.get("leftOuterJoin"));
    assertEquals(batches("[(d,(Optional.empty,z)), (a,(Optional[1],x)), (a,(Optional[3],x)), (c,(Optional[4],y))]",
        "[(d,(Optional[5],z)), (a,(Optional.empty,x)), (c,(Optional.empty,y))]",
        "[(d,(Optional.empty,z)), (a,(Optional.empty,x)), (c,(Optional.empty,y))]"), got.get("rightOuterJoin"));
    assertEquals(batches("[(b,(Optional[2],Optional.empty)), (d,(Optional.empty,Optional[z])), "
        + "(a,(Optional[1],Optional[x])), (a,(Optional[3],Optional[x])), (c,(Optional[4],Optional[y]))]",
        "[(d,(Optional[5],Optional[z])), (a,(Optional.empty,Optional[x])), (c,(Optional.empty,Optional[y]))]",
        "[(d,(Optional.empty,Optional[z])), (a,(Optional.empty,Optional[x])), (c,(Optional.empty,Optional[y]))]"),
        got.get("fullOuterJoin"));
    assertEquals(batches("[(b,([2],[])), (d,([],[z])), (a,([1, 3],[x])), (c,([4],[y]))]",
        "[(d,([5],[z])), (a,([],[x])), (c,([],[y]))]", "[(d,([],[z])), (a,([],[x])), (c,([],[y]))]"),
        got.get("cogroup"));
    assertEquals(batches("[(b,([2],[],[])), (d,([],[z],[z])), (a,([1, 3],[x],[x])), (c,([4],[y],[y]))]",
        "[(d,([5],[z],[z])), (a,([],[x],[x])), (c,([],[y],[y]))]",
        "[(d,([],[z],[z])), (a,([],[x],[x])), (c,([],[y],[y]))]"), got.get("cogroup 3"));
    assertEquals(batches("[(b,([2],[],[2],[])), (d,([],[z],[],[z])), (a,([1, 3],[x],[1, 3],[x])), "
        + "(c,([4],[y],[4],[y]))]", "[(d,([5],[z],[5],[z])), (a,([],[x],[],[x])), (c,([],[y],[],[y]))]",
        "[(d,([],[z],[],[z])), (a,([],[x],[],[x])), (c,([],[y],[],[y]))]"), got.get("cogroup 4"));
    assertEquals(batches("[(b,2)]", "[]", "[]"), got.get("subtractByKey"));
    assertEquals(batches("3", "1", "0"), got.get("filter/distinct/count"));
  }

  /** Code written once over JavaRDDLike serves both kinds of RDD, as with Spark. */
  private static <T, R extends JavaRDDLike<T, R>> String describe(JavaRDDLike<T, R> rdd) {
    return rdd.count() + " in " + rdd.getNumPartitions() + ": " + rdd.collect();
  }

  @Test
  void genericCodeOverJavaRddLikeTakesBothKinds() {
    JavaRDD<Integer> numbers = sc.parallelize(List.of(1, 2, 3), 2);
    JavaPairRDD<String, Integer> keyed = numbers.keyBy(x -> "k" + x);
    assertEquals("3 in 2: [1, 2, 3]", describe(numbers));
    assertEquals("3 in 2: [(k1,1), (k2,2), (k3,3)]", describe(keyed));
    assertEquals(List.of(1, 2, 3), numbers.wrapRDD(numbers.rdd()).collect());
  }

  /** A helper typed on JavaDStreamLike, as programs write them: each batch's count and first element. */
  private <T, S extends JavaDStreamLike<T, S, R>, R extends JavaRDDLike<T, R>> void summarize(String name,
      JavaDStreamLike<T, S, R> stream) {
    out.put(name, new ArrayList<>());
    stream.foreachRDD(rdd -> record(name, () -> rdd.count() + (rdd.isEmpty() ? "" : " from " + rdd.first())));
  }

  @Test
  void streamsShareJavaDStreamLikeAndJoinEachBatchWithAStaticRdd() throws Exception {
    JavaDStream<Integer> stream = numberStream();
    JavaPairDStream<Integer, String> keyed = stream.mapToPair(x -> new Tuple2<>(x, "n" + x));
    // As the Spark guide joins each batch with a static dataset.
    JavaPairRDD<Integer, String> statics = sc.parallelizePairs(List.of(new Tuple2<>(3, "three"),
        new Tuple2<>(4, "four")), 2);
    summarize("numbers", stream);
    summarize("pairs", keyed);
    summarize("joined", keyed.transformToPair(rdd -> rdd.join(statics)));
    out.put("transformWith", new ArrayList<>());
    stream.transformWith(keyed, (a, b, time) -> a.union(b.keys()).map(x -> x + "@" + time.milliseconds() / 1000))
        .foreachRDD(rdd -> record("transformWith", rdd::collect));
    out.put("sortedJoin", new ArrayList<>());
    keyed.join(keyed.mapValues(v -> v.length())).transformToPair(rdd -> rdd.sortByKey())
        .foreachRDD(rdd -> record("sortedJoin", rdd::collect));
    ssc.remember(Durations.seconds(10));
    Map<String, List<String>> got = run();
    List<List<Integer>> sliced = new ArrayList<>();
    stream.slice(new Time(1000), new Time(3000)).forEach(rdd -> sliced.add(rdd.collect()));
    assertEquals(List.of(List.of(3, 1, 2, 3, 5), List.of(4, 4), List.of()), sliced);
    assertEquals(batches("5 from 3", "2 from 4", "0"), got.get("numbers"));
    assertEquals(batches("5 from (3,n3)", "2 from (4,n4)", "0"), got.get("pairs"));
    // Key 3 twice in the batch, with one row of the static RDD: two rows; 4 twice in the second batch.
    assertEquals(batches("2 from (3,(n3,three))", "2 from (4,(n4,four))", "0"), got.get("joined"));
    assertEquals(batches("[3@1, 1@1, 2@1, 3@1, 5@1, 3@1, 1@1, 2@1, 3@1, 5@1]", "[4@2, 4@2, 4@2, 4@2]", "[]"),
        got.get("transformWith"));
    assertEquals(batches("[(1,(n1,2)), (2,(n2,2)), (3,(n3,2)), (3,(n3,2)), (3,(n3,2)), (3,(n3,2)), (5,(n5,2))]",
        "[(4,(n4,2)), (4,(n4,2)), (4,(n4,2)), (4,(n4,2))]", "[]"), got.get("sortedJoin"));
  }

  @Test
  void aTransformThatReturnsNullStopsTheProgramWithSparksMessage() {
    numberStream().transform(rdd -> (JavaRDD<Integer>) null).foreachRDD(rdd -> { });
    ssc.start();
    ((io.freshet.spark.util.ManualClock) ssc.clock()).advance(1000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ssc.awaitTerminationOrTimeout(30_000));
    assertEquals("Transform function must not return null. Return SparkContext.emptyRDD() instead to represent no "
        + "element as the result of transformation.", e.getMessage());
  }

  @Test
  void partitionCountsAreCheckedAndTheDefaultFollowsSparkDefaultParallelism() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> sc.parallelize(List.of(1, 2), 0));
    assertEquals("Positive number of partitions required", none.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> sc.parallelize(List.of(1, 2), 2).repartition(0));
    assertEquals("requirement failed: Number of partitions (0) must be positive.", zero.getMessage());
    JavaSparkContext five = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("five")
        .set("spark.default.parallelism", "5"));
    JavaRDD<Integer> numbers = five.parallelize(List.of(1, 2, 3), 2);
    assertEquals(5, numbers.groupBy(x -> x % 2).getNumPartitions());
    assertEquals(5, numbers.intersection(numbers).getNumPartitions());
    assertEquals(5, numbers.keyBy(x -> x).join(numbers.keyBy(x -> x)).getNumPartitions());
    assertEquals(2, numbers.distinct().getNumPartitions(), "distinct keeps the RDD's count, as Spark");
    assertEquals(2, sc.parallelize(List.of(1, 2, 3), 2).groupBy(x -> x % 2).getNumPartitions());
    // A join placed by a partitioner of the program's own.
    Partitioner evenOdd = new Partitioner() {
      @Override
      public int numPartitions() {
        return 2;
      }

      @Override
      public int getPartition(Object key) {
        return ((Integer) key) % 2 == 0 ? 1 : 0;
      }
    };
    assertEquals(List.of(List.of(new Tuple2<>(1, new Tuple2<>(1, 1)), new Tuple2<>(3, new Tuple2<>(3, 3))),
        List.of(new Tuple2<>(2, new Tuple2<>(2, 2)))),
        numbers.keyBy(x -> x).join(numbers.keyBy(x -> x), evenOdd).glom().collect());
  }

  @Test
  void samplesWithReplacementDrawTheRightNumberOfCopiesForLargeFractions() {
    long copies = sc.parallelize(List.of("x"), 1).sample(true, 2000, 3).count();
    assertTrue(copies > 1800 && copies < 2200, "about 2000 copies, not " + copies);
  }
}
