package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command that ports a Spark Streaming source tree (its imports {@code org.apache.spark.*} and
 * {@code org.apache.hadoop.*} become {@code io.freshet.spark.*} and {@code io.freshet.hadoop.*}), run as printed
 * with bash on the ported examples written back with Spark's imports and on a fileStream program with Hadoop's: it
 * must give back the examples exactly, and they must compile against the jar a user runs.
 */
class PortImportsIT {
  private static final Path EXAMPLES = Launcher.REPOSITORY.resolve("shell/src/main/java/io/freshet/examples/streaming");
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Test
  void theReadmeCommandPortsSparkImportsAndTheProgramsCompile(@TempDir Path work) throws IOException {
    String command = readmeCommand();
    Path tree = work.resolve("src/main/java/io/freshet/examples/streaming");
    Files.createDirectories(tree);
    List<Path> originals;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      originals = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    assertTrue(originals.size() >= 6, originals.toString());
    int sparkImports = 0;
    for (Path original : originals) {
      String spark = Files.readString(original).replace("io.freshet.spark.", "org.apache.spark.");
      sparkImports += spark.split("import org\\.apache\\.spark\\.", -1).length - 1;
      Files.writeString(tree.resolve(original.getFileName()), spark);
    }
    assertTrue(sparkImports >= 20, "the examples as Spark writes them import from org.apache.spark: " + sparkImports);

    // A program as Spark's users write fileStream, with Hadoop's classes.
    Path fileStream = tree.resolve("FileStreamLines.java");
    Files.writeString(fileStream, String.join("\n",
        "package io.freshet.examples.streaming;",
        "import org.apache.hadoop.io.LongWritable;",
        "import org.apache.hadoop.io.Text;",
        "import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;",
        "import org.apache.spark.SparkConf;",
        "import org.apache.spark.streaming.Durations;",
        "import org.apache.spark.streaming.api.java.JavaPairInputDStream;",
        "import org.apache.spark.streaming.api.java.JavaStreamingContext;",
        "public class FileStreamLines {",
        "  public static void main(String[] args) throws Exception {",
        "    JavaStreamingContext ssc = new JavaStreamingContext(new SparkConf().setAppName(\"lines\"),",
        "        Durations.seconds(1));",
        "    ssc.sparkContext().setLogLevel(\"WARN\");",
        "    JavaPairInputDStream<LongWritable, Text> lines = ssc.fileStream(args[0], LongWritable.class, Text.class,",
        "        TextInputFormat.class);",
        "    lines.map(kv -> kv._1().get() + \" \" + kv._2().toString()).print();",
        "  }",
        "}",
        ""));

    // Calls as Spark 3.5's Java API declares them: a helper typed on JavaDStreamLike, setLogLevel, a join with a
    // static RDD in transformToPair, the Partitioner forms, checkpoint(interval), the per-batch RDD API.
    Path sparkStyle = tree.resolve("SparkStyle.java");
    Files.writeString(sparkStyle, String.join("\n",
        "package io.freshet.examples.streaming;",
        "import java.util.Arrays;",
        "import java.util.List;",
        "import org.apache.spark.HashPartitioner;",
        "import org.apache.spark.SparkConf;",
        "import org.apache.spark.api.java.JavaPairRDD;",
        "import org.apache.spark.api.java.JavaRDDLike;",
        "import org.apache.spark.api.java.JavaSparkContext;",
        "import org.apache.spark.api.java.Optional;",
        "import org.apache.spark.storage.StorageLevel;",
        "import org.apache.spark.streaming.Durations;",
        "import org.apache.spark.streaming.api.java.JavaDStreamLike;",
        "import org.apache.spark.streaming.api.java.JavaPairDStream;",
        "import org.apache.spark.streaming.api.java.JavaStreamingContext;",
        "import scala.Tuple2;",
        "public class SparkStyle {",
        "  static <T, S extends JavaDStreamLike<T, S, R>, R extends JavaRDDLike<T, R>> void countEach(",
        "      JavaDStreamLike<T, S, R> stream) {",
        "    stream.foreachRDD(rdd -> System.out.println(rdd.count()));",
        "  }",
        "  public static void main(String[] args) throws Exception {",
        "    SparkConf conf = new SparkConf().setAppName(\"style\").setMaster(\"local[2]\");",
        "    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));",
        "    JavaSparkContext sc = ssc.sparkContext();",
        "    sc.setLogLevel(\"WARN\");",
        "    JavaPairRDD<String, String> statics = sc.parallelizePairs(Arrays.asList(new Tuple2<>(\"a\", \"x\")));",
        "    ssc.checkpoint(args[0]);",
        "    JavaPairDStream<String, Integer> words = ssc.socketTextStream(\"localhost\", 9999,",
        "        StorageLevel.MEMORY_AND_DISK_2()).flatMap(l -> Arrays.asList(l.split(\" \")).iterator())",
        "        .mapToPair(w -> new Tuple2<>(w, 1));",
        "    words.checkpoint(Durations.seconds(10));",
        "    countEach(words);",
        "    countEach(words.map(Tuple2::_1));",
        "    JavaPairDStream<String, Tuple2<Integer, String>> joined = words.transformToPair(rdd -> rdd.join(statics));",
        "    JavaPairDStream<String, Integer> counts = words.reduceByKey(Integer::sum, new HashPartitioner(2));",
        "    JavaPairDStream<String, Integer> totals = counts.updateStateByKey(",
        "        (List<Integer> values, Optional<Integer> state) -> Optional.of(state.orElse(0) + values.size()),",
        "        new HashPartitioner(2));",
        "    words.foreachRDD((rdd, time) -> {",
        "      JavaPairRDD<String, Integer> sums = rdd.aggregateByKey(0, (a, b) -> a + b, (a, b) -> a + b);",
        "      System.out.println(sums.sortByKey().collectAsMap() + \" \" + rdd.keys().distinct().top(3) + time);",
        "      JavaPairRDD<String, Tuple2<Integer, Optional<String>>> left = rdd.leftOuterJoin(statics,",
        "          new HashPartitioner(3));",
        "      System.out.println(left.countByKey());",
        "    });",
        "    joined.print();",
        "    totals.print();",
        "    ssc.start();",
        "    ssc.awaitTermination();",
        "  }",
        "}",
        ""));

    Launcher.run(new ProcessBuilder("bash", "-c", command).directory(work.toFile()), "", TIMEOUT).ok();
    assertFalse(Files.readString(sparkStyle).contains("org.apache"), Files.readString(sparkStyle));

    String fileStreamPorted = Files.readString(fileStream);
    assertTrue(fileStreamPorted.contains("import io.freshet.hadoop.io.LongWritable;")
        && fileStreamPorted.contains("import io.freshet.spark.streaming.api.java.JavaPairInputDStream;")
        && !fileStreamPorted.contains("org.apache"), fileStreamPorted);

    List<String> ported = new ArrayList<>();
    for (Path original : originals) {
      Path file = tree.resolve(original.getFileName());
      assertEquals(Files.readString(original), Files.readString(file), file + " after the README's command");
      assertFalse(Files.readString(file).contains("import org.apache.spark."), file.toString());
      ported.add(file.toString());
    }
    List<String> javac = new ArrayList<>(List.of("javac", "-proc:none", "-cp",
        Launcher.REPOSITORY.resolve("shell/target/freshet.jar").toString(), "-d", work.resolve("classes").toString()));
    javac.addAll(ported);
    javac.add(fileStream.toString());
    javac.add(sparkStyle.toString());
    Launcher.run(new ProcessBuilder(javac).directory(work.toFile()), "", TIMEOUT).ok();
    assertTrue(Files.exists(work.resolve("classes/io/freshet/examples/streaming/JavaNetworkWordCount.class")));
    assertTrue(Files.exists(work.resolve("classes/io/freshet/examples/streaming/FileStreamLines.class")));
  }

  /** The one line of the fenced block that follows the README's comment naming this test. */
  private static String readmeCommand() throws IOException {
    List<String> lines = Files.readAllLines(Launcher.REPOSITORY.resolve("README.md"));
    for (int i = 0; i < lines.size() - 2; i++) {
      if (lines.get(i).startsWith("<!-- example: not run;") && lines.get(i).contains("PortImportsIT")) {
        assertEquals("```bash", lines.get(i + 1));
        assertEquals("```", lines.get(i + 3));
        return lines.get(i + 2);
      }
    }
    throw new AssertionError("README.md has no block for PortImportsIT");
  }
}
