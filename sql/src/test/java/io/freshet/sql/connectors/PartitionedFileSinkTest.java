package io.freshet.sql.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.format.SinkManifest;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.StatementResult;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sink's partition columns ({@code partitionBy}, {@code 'partition-by'}): Hive-style subdirectories, files
 * without those columns, the manifest naming files by their paths, and exactly once across restarts and crashes.
 */
class PartitionedFileSinkTest {
  @TempDir
  Path tmp;
  private Path out;
  private Path cp;
  private FreshetSession session;
  private MemoryStream input;

  @BeforeEach
  void setUp() {
    out = tmp.resolve("out");
    cp = tmp.resolve("cp");
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM sales (id BIGINT, country VARCHAR, amount BIGINT, city VARCHAR) "
        + "WITH ('connector' = 'memory')");
    input = session.memoryStream("sales");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private StreamingQuery start() {
    return session.sql("SELECT * FROM sales").writeStream().format("file").partitionBy("country", "city")
        .option("path", out.toString()).option("checkpointLocation", cp.toString()).start();
  }

  /** Adds each row as a batch of its own, stopping and restarting the query after each when {@code restart}. */
  private void run(boolean restart, Row... rows) {
    StreamingQuery q = start();
    for (Row row : rows) {
      input.addData(row);
      q.processAllAvailable();
      if (restart) {
        q.stop();
        q = start();
      }
    }
    q.processAllAvailable();
    q.stop();
  }

  /** Every visible file under {@code root} (not the manifest log, not hidden files) with its lines. */
  private static Map<String, List<String>> tree(Path root) throws IOException {
    Map<String, List<String>> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String name = root.relativize(p).toString();
        if (!name.startsWith(SinkManifest.DIRECTORY) && !p.getFileName().toString().startsWith(".")) {
          files.put(name, Files.readAllLines(p));
        }
      }
    }
    return files;
  }

  private static final Row[] ROWS = {
      Row.of(1L, "DE", 10L, "Berlin"),
      Row.of(2L, "FR", 20L, "a/b:c=d"),   // characters a path cannot hold as they are: escaped as Spark does
      Row.of(3L, null, 30L, ""),          // NULL and the empty string: the default partition
      Row.of(4L, "DE", 40L, "Berlin")};

  private static final Map<String, List<String>> EXPECTED = new TreeMap<>(Map.of(
      "country=DE/city=Berlin/part-000000-0000.csv", List.of("1,10"),
      "country=FR/city=a%2Fb%3Ac%3Dd/part-000001-0000.csv", List.of("2,20"),
      "country=__HIVE_DEFAULT_PARTITION__/city=__HIVE_DEFAULT_PARTITION__/part-000002-0000.csv", List.of("3,30"),
      "country=DE/city=Berlin/part-000003-0000.csv", List.of("4,40")));

  @Test
  void rowsGoIntoNestedColumnValueDirectoriesWithoutThePartitionColumns() throws Exception {
    run(false, ROWS);
    assertEquals(EXPECTED, tree(out));
    // The manifest names each file by its path under the output directory.
    assertEquals(List.of(out.resolve("country=DE/city=Berlin/part-000000-0000.csv")),
        SinkManifest.committedFiles(out).subList(0, 1));
    assertEquals(4, SinkManifest.committedFiles(out).size());
  }

  @Test
  void aRestartAfterEveryBatchWritesTheSameTree() throws Exception {
    run(true, ROWS);
    assertEquals(EXPECTED, tree(out));
  }

  @Test
  void oneBatchWritesAFileInEachOfItsPartitions() throws Exception {
    StreamingQuery q = start();
    input.addData(ROWS);
    q.processAllAvailable();
    q.stop();
    assertEquals(new TreeMap<>(Map.of(
        "country=DE/city=Berlin/part-000000-0000.csv", List.of("1,10", "4,40"),
        "country=FR/city=a%2Fb%3Ac%3Dd/part-000000-0000.csv", List.of("2,20"),
        "country=__HIVE_DEFAULT_PARTITION__/city=__HIVE_DEFAULT_PARTITION__/part-000000-0000.csv",
        List.of("3,30"))), tree(out));
  }

  @Test
  void eachDirectoryRollsItsOwnPartFilesAndEachPartHasAHeaderOfTheColumnsItHolds() throws Exception {
    StreamingQuery q = session.sql("SELECT * FROM sales").writeStream().format("file").partitionBy("country", "city")
        .option("path", out.toString()).option("header", "true").option("maxFileSize", "1")
        .option("checkpointLocation", cp.toString()).start();
    input.addData(ROWS[0], ROWS[1], ROWS[3]);
    q.processAllAvailable();
    q.stop();
    assertEquals(new TreeMap<>(Map.of(
        "country=DE/city=Berlin/part-000000-0000.csv", List.of("id,amount", "1,10"),
        "country=DE/city=Berlin/part-000000-0001.csv", List.of("id,amount", "4,40"),
        "country=FR/city=a%2Fb%3Ac%3Dd/part-000000-0000.csv", List.of("id,amount", "2,20"))), tree(out));
  }

  @Test
  void aBatchReplayedAfterItsSinkCommitIsNotWrittenTwice() throws Exception {
    run(false, ROWS);
    // As if the process died after the sink committed batch 3 but before the commit log said so.
    Files.delete(cp.resolve("commits").resolve("3"));
    run(false);
    assertEquals(EXPECTED, tree(out));
  }

  @Test
  void aBatchThatCrashedAfterRenamingItsFilesIntoSubdirectoriesIsWrittenOnceWhenItRunsAgain() throws Exception {
    StreamingQuery q = start();
    input.addData(ROWS[0]);
    q.processAllAvailable();
    input.addData(ROWS[1], ROWS[2], ROWS[3]);
    q.processAllAvailable();
    q.stop();
    // As if batch 1 crashed after renaming its files and before its manifest entry: its marker, no entry, no
    // commit in the checkpoint. The start deletes the files the marker accounts for, in their subdirectories.
    Path entry = out.resolve(SinkManifest.DIRECTORY).resolve("1");
    Files.move(entry, out.resolve(SinkManifest.DIRECTORY).resolve("1" + SinkManifest.PENDING));
    Files.delete(cp.resolve("commits").resolve("1"));
    run(false);
    assertEquals(new TreeMap<>(Map.of(
        "country=DE/city=Berlin/part-000000-0000.csv", List.of("1,10"),
        "country=DE/city=Berlin/part-000001-0000.csv", List.of("4,40"),
        "country=FR/city=a%2Fb%3Ac%3Dd/part-000001-0000.csv", List.of("2,20"),
        "country=__HIVE_DEFAULT_PARTITION__/city=__HIVE_DEFAULT_PARTITION__/part-000001-0000.csv",
        List.of("3,30"))), tree(out));
    try (Stream<Path> names = Files.list(out.resolve(SinkManifest.DIRECTORY))) {
      assertEquals(List.of("0", "1"), names.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aMissingEntryOfACommittedBatchWithPartFilesInSubdirectoriesIsRefused() throws Exception {
    run(false, ROWS[0], ROWS[1]);
    Files.delete(out.resolve(SinkManifest.DIRECTORY).resolve("1"));
    Exception e = assertThrows(Exception.class, () -> start().processAllAvailable());
    assertTrue(e.getMessage().contains("country=FR/city=a%2Fb%3Ac%3Dd/part-000001-0000.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
  }

  @Test
  void aSinkTableDeclaresItsPartitionColumnsInSql() throws Exception {
    session.sql("SET 'checkpoint-location' = '" + cp + "'");
    session.sql("CREATE TABLE by_country (id BIGINT, country VARCHAR, amount BIGINT) WITH ('connector' = 'file', "
        + "'path' = '" + out + "', 'format' = 'json', 'partition-by' = 'country')");
    StreamingQuery q = ((StatementResult.Started) session.execute(
        "INSERT INTO by_country SELECT id, country, amount FROM sales", 1, 1)).query();
    input.addData(ROWS);
    q.processAllAvailable();
    q.stop();
    assertEquals(new TreeMap<>(Map.of(
        "country=DE/part-000000-0000.json", List.of("{\"id\":1,\"amount\":10}", "{\"id\":4,\"amount\":40}"),
        "country=FR/part-000000-0000.json", List.of("{\"id\":2,\"amount\":20}"),
        "country=__HIVE_DEFAULT_PARTITION__/part-000000-0000.json", List.of("{\"id\":3,\"amount\":30}"))),
        tree(out));
  }

  @Test
  void theFileSourceReadsThePartitionColumnsBackFromTheDirectoryNames() throws Exception {
    run(false, ROWS);
    // In one partition the files of a batch are read one after another; in two, each file is a split of its own.
    for (String master : List.of("local[1]", "local[2]")) {
      try (FreshetSession reader = FreshetSession.builder().master(master).create()) {
        reader.sql("CREATE STREAM back (id BIGINT, country VARCHAR, amount BIGINT, city VARCHAR) WITH ("
            + "'connector' = 'file', 'path' = '" + out + "', 'format' = 'csv', 'bounded' = 'true')");
        StreamingQuery read = reader.sql("SELECT * FROM back").writeStream().format("memory")
            .queryName("back_out").start();
        read.awaitTermination();
        // The empty string was written as the default partition, as Spark writes it, and reads back as NULL. Rows
        // by id: files are read in modification-time order, and two batches' files may share a millisecond.
        List<Row> rows = new java.util.ArrayList<>(reader.memoryTableRows("back_out"));
        rows.sort(java.util.Comparator.comparing(r -> (Long) r.get(0)));
        assertEquals(List.of(Row.of(1L, "DE", 10L, "Berlin"), Row.of(2L, "FR", 20L, "a/b:c=d"),
            Row.of(3L, null, 30L, null), Row.of(4L, "DE", 40L, "Berlin")), rows, master);
      }
    }
  }

  @Test
  void timestampBooleanAndDoubleValuesAreWrittenAsSparkCastsThemAndReadBackTyped() throws Exception {
    session.sql("CREATE STREAM ev (id BIGINT, ts TIMESTAMP(3), ok BOOLEAN, price DOUBLE) WITH ('connector' = "
        + "'memory')");
    MemoryStream events = session.memoryStream("ev");
    StreamingQuery q = session.sql("SELECT * FROM ev").writeStream().format("file").partitionBy("ts", "ok", "price")
        .option("path", out.toString()).option("format", "json").option("checkpointLocation", cp.toString())
        .start();
    events.addData(Row.of(1L, java.time.LocalDateTime.of(2026, 1, 1, 0, 0, 1, 250_000_000), true, 1.5),
        Row.of(2L, java.time.LocalDateTime.of(2026, 1, 2, 0, 0), false, null));
    q.processAllAvailable();
    q.stop();
    assertEquals(new TreeMap<>(Map.of(
        "ts=2026-01-01 00%3A00%3A01.25/ok=true/price=1.5/part-000000-0000.json", List.of("{\"id\":1}"),
        "ts=2026-01-02 00%3A00%3A00/ok=false/price=__HIVE_DEFAULT_PARTITION__/part-000000-0000.json",
        List.of("{\"id\":2}"))), tree(out));

    session.sql("CREATE STREAM back (id BIGINT, ts TIMESTAMP(3), ok BOOLEAN, price DOUBLE) WITH ("
        + "'connector' = 'file', 'path' = '" + out + "', 'format' = 'json', 'bounded' = 'true')");
    StreamingQuery read = session.sql("SELECT * FROM back").writeStream().format("memory").queryName("back_out")
        .start();
    read.awaitTermination();
    assertEquals(List.of(Row.of(1L, java.time.LocalDateTime.of(2026, 1, 1, 0, 0, 1, 250_000_000), true, 1.5),
        Row.of(2L, java.time.LocalDateTime.of(2026, 1, 2, 0, 0), false, null)),
        session.memoryTableRows("back_out").stream().sorted(java.util.Comparator.comparing(r -> r.getLong(0)))
            .toList());
  }

  @Test
  void aDirectoryValueThatIsNotOfTheDeclaredTypeIsRefusedNamingTheDirectory() throws Exception {
    run(false, ROWS[0]);
    session.sql("CREATE STREAM back (id BIGINT, country BIGINT, amount BIGINT, city VARCHAR) WITH ("
        + "'connector' = 'file', 'path' = '" + out + "', 'format' = 'csv', 'bounded' = 'true')");
    StreamingQuery read = session.sql("SELECT * FROM back").writeStream().format("memory").queryName("back_out")
        .start();
    Exception e = assertThrows(Exception.class, read::awaitTermination);
    assertTrue(e.getMessage().contains("The partition directory " + out.resolve("country=DE/city=Berlin")
        + " gives column country the value 'DE', which is not a BIGINT"), e.getMessage());
  }

  @Test
  void aGlobOverDirectoriesWithAndWithoutAPartitionColumnReadsEachFileByItsOwn() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("plain"));
    Files.createDirectories(in.resolve("x=5"));
    Files.writeString(in.resolve("plain/a.csv"), "1,7\n");
    Files.writeString(in.resolve("x=5/b.csv"), "2\n");
    Files.writeString(in.resolve("plain/c.csv"), "3,8\n");
    long time = 1_700_000_000_000L;
    for (String file : List.of("plain/a.csv", "x=5/b.csv", "plain/c.csv")) {
      in.resolve(file).toFile().setLastModified(time += 1000);
    }
    try (FreshetSession reader = FreshetSession.builder().master("local[1]").create()) {
      reader.sql("CREATE STREAM mixed (id BIGINT, x BIGINT) WITH ('connector' = 'file', 'path' = '" + in
          + "/**/*.csv', 'format' = 'csv', 'bounded' = 'true')");
      StreamingQuery read = reader.sql("SELECT * FROM mixed").writeStream().format("memory").queryName("mixed_out")
          .start();
      read.awaitTermination();
      assertEquals(List.of(Row.of(1L, 7L), Row.of(2L, 5L), Row.of(3L, 8L)), reader.memoryTableRows("mixed_out"));
    }
  }

  @Test
  void anUnknownPartitionColumnIsRefusedNamingItAndTheColumnsThereAre() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SELECT * FROM sales")
        .writeStream().format("file").partitionBy("country", "region").option("path", out.toString()).start());
    assertEquals("Partition column 'region' (option 'partition-by' of the file sink) is not a column of the "
        + "output; its columns are: id, country, amount, city", e.getMessage());

    e = assertThrows(FreshetException.class, () -> session.sql("CREATE TABLE t (id BIGINT, country VARCHAR) WITH "
        + "('connector' = 'file', 'path' = '" + out + "', 'partition-by' = 'Country, id')"));
    assertTrue(e.getMessage().contains("are all the columns of the output (id, country)"), e.getMessage());
    e = assertThrows(FreshetException.class, () -> session.sql("CREATE TABLE t (id BIGINT, country VARCHAR) WITH "
        + "('connector' = 'file', 'path' = '" + out + "', 'partition-by' = 'nation')"));
    assertTrue(e.getMessage().contains("Partition column 'nation' (option 'partition-by' of 't') is not a "
        + "column of the output; its columns are: id, country"), e.getMessage());
  }

  @Test
  void partitionByWithAnotherSinkIsRefused() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SELECT * FROM sales")
        .writeStream().format("memory").queryName("m").partitionBy("country").start());
    assertEquals("partitionBy(country) writes into subdirectories of the file sink; the memory sink has none. Use "
        + "format(\"file\"), or leave partitionBy out", e.getMessage());
    e = assertThrows(FreshetException.class, () -> session.sql("SELECT * FROM sales").writeStream()
        .foreachBatch((rows, id) -> { }).partitionBy("country").start());
    assertTrue(e.getMessage().contains("foreachBatch has none"), e.getMessage());
  }
}
