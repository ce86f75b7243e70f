package io.freshet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.Optional;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.StateSpec;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.streaming.FreshetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * Stateful and windowed streams across a stop and a {@code getOrCreate} restart: the state, and the batches a
 * window still needs, come back from the checkpoint (Arrow files, no Java serialization), so the answers go on as
 * if the program had never stopped.
 */
class DStreamRecoveryTest {
  @TempDir
  Path tmp;
  private final List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
  private JavaStreamingContext ssc;
  private BatchClock clock;

  @AfterEach
  void tearDown() {
    if (ssc != null) {
      ssc.stop();
    }
  }

  /** A running sum per word, as the program's own class: kept in the checkpoint as the JSON of its fields. */
  record Tally(long count, String last) { }

  private JavaStreamingContext program(List<List<String>> batches) {
    // Tally is a class of the state: declared, so that a restart in a new process may bring it back.
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("recovery")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock").registerKryoClasses(Tally.class);
    JavaStreamingContext ctx = new JavaStreamingContext(conf, Durations.seconds(1));
    clock = new BatchClock(ctx, 1000);
    ctx.checkpoint(tmp.resolve("cp").toString());
    Queue<JavaRDD<String>> queue = new LinkedList<>();
    for (List<String> b : batches) {
      queue.add(ctx.sparkContext().parallelize(b));
    }
    JavaDStream<String> words = ctx.queueStream(queue);
    JavaPairDStream<String, Integer> pairs = words.mapToPair(w -> new Tuple2<>(w, 1));
    collect("total", pairs.updateStateByKey((List<Integer> values, Optional<Integer> state) -> {
      int sum = state.orElse(0);
      for (int v : values) {
        sum += v;
      }
      return Optional.of(sum);
    }));
    collect("tally", pairs.updateStateByKey((List<Integer> values, Optional<Tally> state) ->
        Optional.of(new Tally((state.isPresent() ? state.get().count() : 0L) + values.size(), "x"))));
    collect("seen", pairs.mapWithState(StateSpec.function((String word, Optional<Integer> one,
        io.freshet.spark.streaming.State<Integer> state) -> {
      int n = (state.exists() ? state.get() : 0) + one.orElse(0);
      state.update(n);
      return word + "=" + n;
    })).mapToPair(s -> new Tuple2<>(s, 1)));
    collect("window", pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.seconds(2),
        Durations.seconds(1)));
    collect("last2", words.window(Durations.seconds(2)).mapToPair(w -> new Tuple2<>(w, 1)));
    return ctx;
  }

  private <K, V> void collect(String name, JavaPairDStream<K, V> stream) {
    stream.foreachRDD((rdd, time) -> {
      List<String> items = new ArrayList<>();
      rdd.collect().forEach(x -> items.add(String.valueOf(x)));
      items.sort(null);
      out.add(time.milliseconds() / 1000 + " " + name + " " + items);
    });
  }

  private List<String> at(long second) {
    return out.stream().filter(s -> s.startsWith(second + " ")).toList();
  }

  @Test
  void stateAndWindowsGoOnAfterARestart() throws Exception {
    String cp = tmp.resolve("cp").toString();
    ssc = JavaStreamingContext.getOrCreate(cp, () -> program(List.of(List.of("a", "b"), List.of("a"))));
    ssc.start();
    clock.advance();
    clock.advance();
    ssc.stop();
    assertEquals(List.of("2 total [(a,2), (b,1)]", "2 tally [(a,Tally[count=2, last=x]), (b,Tally[count=1, last=x])]",
        "2 seen [(a=2,1)]", "2 window [(a,2), (b,1)]", "2 last2 [(a,1), (a,1), (b,1)]"), at(2));

    ssc = JavaStreamingContext.getOrCreate(cp, () -> program(List.of(List.of("a", "c"), List.of())));
    ssc.start();
    clock.advance();
    clock.advance();
    assertEquals(List.of("3 total [(a,3), (b,1), (c,1)]",
        "3 tally [(a,Tally[count=3, last=x]), (b,Tally[count=1, last=x]), (c,Tally[count=1, last=x])]",
        "3 seen [(a=3,1), (c=1,1)]", "3 window [(a,2), (b,0), (c,1)]", "3 last2 [(a,1), (a,1), (c,1)]"), at(3));
    assertEquals(List.of("4 total [(a,3), (b,1), (c,1)]",
        "4 tally [(a,Tally[count=3, last=x]), (b,Tally[count=1, last=x]), (c,Tally[count=1, last=x])]",
        "4 seen []", "4 window [(a,1), (b,0), (c,1)]", "4 last2 [(a,1), (c,1)]"), at(4));
  }

  @Test
  void onlyTheBatchesStillNeededStayInTheCheckpoint() throws Exception {
    ssc = program(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d"), List.of("e")));
    ssc.start();
    for (int i = 0; i < 5; i++) {
      clock.advance();
    }
    ssc.stop();
    ssc = null;
    java.util.Map<String, Long> perStream;
    try (Stream<Path> all = Files.walk(tmp.resolve("cp").resolve("dstreams"))) {
      perStream = all.filter(p -> p.toString().endsWith(".arrow")).collect(java.util.stream.Collectors.groupingBy(
          p -> p.getParent().getFileName().toString(), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }
    // Each of the five batches wrote its RDDs once. A state stream keeps its latest RDD, plus the one before until
    // the next batch commits; the windows' parents (the words, and the reduced pairs) keep the 3 s they remember
    // (a slide and a 2 s window) plus one. Nothing older.
    assertEquals(java.util.Map.of("0", 4L, "11", 4L, "2", 2L, "4", 2L, "6", 2L, "10", 2L), perStream);
  }

  /** A state class Jackson cannot rebuild: no constructor it can use. */
  static final class Opaque {
    private final Object a;
    private final Object b;

    Opaque(Object a, Object b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public String toString() {
      return "Opaque";
    }
  }

  @Test
  void aStateClassThatCannotBeRestoredFailsTheBatchThatKeepsIt() throws Exception {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("opaque")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    clock = new BatchClock(ssc, 1000);
    ssc.checkpoint(tmp.resolve("cp2").toString());
    Queue<JavaRDD<String>> queue = new LinkedList<>();
    queue.add(ssc.sparkContext().parallelize(List.of("a")));
    ssc.queueStream(queue).mapToPair(w -> new Tuple2<>(w, 1))
        .updateStateByKey((List<Integer> v, Optional<Opaque> s) -> Optional.of(new Opaque(1, 2))).print();
    ssc.start();
    ((io.freshet.spark.util.ManualClock) ssc.clock()).advance(1000);
    Exception e = assertThrows(Exception.class, () -> ssc.awaitTerminationOrTimeout(30_000));
    assertTrue(e.getMessage().contains(Opaque.class.getName()) && e.getMessage().contains("no-argument constructor"),
        e.getMessage());
  }

  /** As long a name as Tally's, and a class this program never keeps or declares. */
  record Other(long count, String last) { }

  /** The newest state file of the tally stream: the one that names Tally. */
  private Path tallyStateFile() throws Exception {
    try (Stream<Path> all = Files.walk(tmp.resolve("cp").resolve("dstreams"))) {
      return all.filter(p -> p.toString().endsWith(".arrow"))
          .filter(p -> CheckpointFiles.readString(p).contains(Tally.class.getName()))
          .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
    }
  }

  @Test
  void aCheckpointNamingAClassTheProgramDoesNotDeclareIsRefused() throws Exception {
    ssc = program(List.of(List.of("a")));
    ssc.start();
    clock.advance();
    ssc.stop();
    // Someone rewrites the state file (with a valid checksum) to name another class.
    Path file = tallyStateFile();
    byte[] original = CheckpointFiles.read(file);
    String text = new String(original, StandardCharsets.ISO_8859_1);
    CheckpointFiles.write(file, text.replace(Tally.class.getName(), Other.class.getName())
        .getBytes(StandardCharsets.ISO_8859_1));

    ssc = program(List.of(List.of("b")));
    FreshetException e = assertThrows(FreshetException.class, ssc::start);
    assertEquals(FreshetException.Kind.USER, e.kind());
    assertTrue(e.getMessage().startsWith("The checkpoint file " + file + " holds a value of class "
        + Other.class.getName() + ", which this program does not declare as state") && e.getMessage().contains(
        "register it before the context is created: conf.registerKryoClasses(new Class<?>[] "
        + "{DStreamRecoveryTest.Other.class})"), e.getMessage());

    // The refused start let the checkpoint go: with the file as it was, the program goes on.
    CheckpointFiles.write(file, original);
    ssc.start();
    clock.advance();
    assertTrue(out.contains("2 tally [(a,Tally[count=1, last=x]), (b,Tally[count=1, last=x])]"), out.toString());
  }

  @Test
  void aSecondContextOnTheCheckpointIsRefusedNamingTheOwnerUntilTheFirstStops() throws Exception {
    ssc = program(List.of(List.of("a")));
    ssc.start();
    clock.advance();
    JavaStreamingContext first = ssc;
    ssc = program(List.of(List.of("b")));
    FreshetException e = assertThrows(FreshetException.class, ssc::start);
    assertTrue(e.getMessage().startsWith("The checkpoint " + tmp.resolve("cp") + " is in use by query recovery (a "
        + "DStream StreamingContext) in process " + ProcessHandle.current().pid() + " on "), e.getMessage());
    first.stop();
    ssc.start();
    clock.advance();
    assertTrue(out.contains("2 total [(a,1), (b,1)]"), out.toString());
  }

  @Test
  void lostCommitEntriesAreRefusedBeforeAStateFileIsTouched() throws Exception {
    ssc = program(List.of(List.of("a"), List.of("b"), List.of("c")));
    ssc.start();
    clock.advance(3);
    ssc.stop();
    Path commits = tmp.resolve("cp").resolve("commits");
    byte[] one = Files.readAllBytes(commits.resolve("1"));
    byte[] two = Files.readAllBytes(commits.resolve("2"));
    Files.delete(commits.resolve("1"));
    Files.delete(commits.resolve("2"));
    java.util.Map<String, String> state = DirectoryContents.of(tmp.resolve("cp").resolve("dstreams"));

    // Batch 0 looks like the last committed one; the state files of batches 1 and 2 must not go as if they had not.
    ssc = program(List.of(List.of("d")));
    FreshetException e = assertThrows(FreshetException.class, ssc::start);
    assertTrue(e.getMessage().startsWith("The checkpoint " + tmp.resolve("cp") + " is damaged: batch 2 was planned"),
        e.getMessage());
    assertEquals(state, DirectoryContents.of(tmp.resolve("cp").resolve("dstreams")), "the refused start changed the state files");

    Files.write(commits.resolve("1"), one);
    Files.write(commits.resolve("2"), two);
    ssc.start();
    clock.advance();
    assertTrue(out.contains("4 total [(a,1), (b,1), (c,1), (d,1)]"), out.toString());
  }
}
