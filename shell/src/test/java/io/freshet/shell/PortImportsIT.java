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

    Launcher.run(new ProcessBuilder("bash", "-c", command).directory(work.toFile()), "", TIMEOUT).ok();

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
