package io.freshet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.api.java.JavaPairRDD;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.api.java.JavaSparkContext;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/** What programs call on the JavaSparkContext: text files in Hadoop's splits, union, the log level. */
class JavaSparkContextTest {
  @TempDir
  Path tmp;
  private final JavaSparkContext sc = new JavaSparkContext("local[2]", "test");

  @AfterEach
  void tearDown() {
    sc.setLogLevel("WARN"); // the tests' level (the parent pom's)
    sc.close();
  }

  @Test
  void textFileCutsFilesIntoHadoopsSplitsAndALineGoesWhereItStarts() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(dir.resolve("a.txt"), "one\ntwo\nthree\n"); // 14 bytes
    Files.writeString(dir.resolve("b.txt"), "four"); // 4 bytes, no line break
    Files.writeString(dir.resolve("_SUCCESS"), "");
    Files.writeString(dir.resolve(".hidden"), "no");
    // 18 bytes in at least 2 splits: splits of 9 bytes; a.txt is [0, 9) and [9, 14) ("three" starts at 8, so it
    // is the first split's), b.txt one split.
    assertEquals(List.of(List.of("one", "two", "three"), List.of(), List.of("four")),
        sc.textFile(dir.toString()).glom().collect());
    // 14 bytes in at least 4: splits of 3 bytes at 0, 3, 6, 9 and 12 (the last one 2 bytes, within the slop).
    assertEquals(List.of(List.of("one"), List.of("two"), List.of("three"), List.of(), List.of()),
        sc.textFile(dir.resolve("a.txt").toString(), 4).glom().collect());
    Files.writeString(tmp.resolve("crlf.txt"), "a\r\nb\r\n\r\nc");
    assertEquals(List.of("a", "b", "", "c"), sc.textFile(tmp.resolve("crlf.txt").toString(), 1).collect());
    assertEquals(List.of("one", "two", "three", "four", "a", "b", "", "c"),
        sc.textFile(dir + "," + tmp.resolve("crlf.txt")).collect());
    // Hadoop's line ends (a lone CR too) and no byte order mark.
    Files.write(tmp.resolve("mac.txt"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\r', 'b', '\n',
        'c', '\r'});
    assertEquals(List.of("a", "b", "c"), sc.textFile(tmp.resolve("mac.txt").toString(), 1).collect());
    assertEquals(List.of("one", "two", "three"), sc.textFile(dir.resolve("a*.txt").toString()).collect());
    UncheckedIOException noMatch = assertThrows(UncheckedIOException.class,
        () -> sc.textFile(dir.resolve("z*.txt").toString()));
    assertTrue(noMatch.getMessage().contains("matches 0 files"), noMatch.getMessage());
    UncheckedIOException missing = assertThrows(UncheckedIOException.class,
        () -> sc.textFile(tmp.resolve("nothing").toString()));
    assertTrue(missing.getMessage().contains("Input path does not exist: " + tmp.resolve("nothing")),
        missing.getMessage());
  }

  @Test
  void wholeTextFilesGivesEachFilesUriAndText() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(dir.resolve("x.txt"), "to be\nor not");
    Files.writeString(dir.resolve("y z.txt"), "");
    JavaPairRDD<String, String> files = sc.wholeTextFiles(dir.toString());
    assertEquals(List.of(new Tuple2<>("file:" + dir.resolve("x.txt"), "to be\nor not"),
        new Tuple2<>("file:" + dir.resolve("y z.txt"), "")), files.collect());
    assertEquals(2, files.getNumPartitions());
  }

  @Test
  void unionTakesAnyNumberOfRddsAndEmptyRddHasNoPartitions() {
    JavaRDD<Integer> a = sc.parallelize(List.of(1, 2), 2);
    JavaRDD<Integer> b = sc.parallelize(List.of(3), 1);
    assertEquals(List.of(List.of(1), List.of(2), List.of(3), List.of(1), List.of(2)),
        sc.union(a, b, a).glom().collect());
    JavaPairRDD<String, Integer> p = sc.parallelizePairs(List.of(new Tuple2<>("k", 1)), 1);
    assertEquals(List.of(new Tuple2<>("k", 1), new Tuple2<>("k", 1)), sc.union(p, p).collect());
    assertEquals(0, sc.<String>emptyRDD().getNumPartitions());
    assertEquals(2, sc.defaultMinPartitions());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> sc.<Integer>union());
    assertEquals("requirement failed: Union called on no RDDs", none.getMessage());
  }

  @Test
  void setLogLevelChangesEveryLoggerAndRefusesUnknownLevelsAsSpark() {
    Logger existing = LoggerFactory.getLogger("io.freshet.test.existing");
    sc.setLogLevel("info");
    assertTrue(existing.isInfoEnabled());
    sc.setLogLevel("WARN");
    assertFalse(existing.isInfoEnabled());
    assertTrue(existing.isWarnEnabled());
    sc.sc().setLogLevel("OFF");
    assertFalse(existing.isErrorEnabled());
    assertFalse(LoggerFactory.getLogger("io.freshet.test.later").isErrorEnabled());
    sc.setLogLevel("ALL");
    assertTrue(LoggerFactory.getLogger("io.freshet.test.later").isTraceEnabled());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sc.setLogLevel("LOUD"));
    assertEquals("requirement failed: Supplied level LOUD did not match one of: "
        + "ALL,DEBUG,ERROR,FATAL,INFO,OFF,TRACE,WARN", e.getMessage());
  }
}
