package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed query on an existing checkpoint. Each {@code upgrade/<name>.sql} gives a query ({@code -- before:})
 * and its change ({@code -- after:}); the test runs the first over two micro-batches of data, leaving windows
 * open, then compares {@code EXPLAIN UPGRADE} of the second with {@code upgrade/<name>.expected}, and then starts
 * the second: it must be refused, with the node and the difference, when EXPLAIN UPGRADE says so, or run on (and
 * restart once more) with the answer the file gives (after a line {@code answer:}, the rows of the memory sink in
 * order), at two partitions; {@code -- state-store: rocksdb} runs both with RocksDB state, {@code -- state-store
 * after: rocksdb} the second only, {@code -- parallelism after: N} runs the second (and its restart) in N partitions,
 * and {@code -- columns before: ...} declares the stream with other columns for the first (read from CSV files
 * then).
 * {@code -Dfreshet.golden.regenerate=true} rewrites the expected files (read them before committing).
 */
class QueryUpgradeTest {
  private static final Path DIRECTORY = Path.of("src/test/resources/upgrade");
  private static final boolean REGENERATE = Boolean.getBoolean("freshet.golden.regenerate");

  @TempDir
  Path root;

  @TestFactory
  Stream<DynamicTest> everyChange() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(DIRECTORY)) {
      files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
  }

  private void run(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String before = section(text, "-- before:", "-- after:");
    String after = section(text, "-- after:", null);
    String name = file.getFileName().toString().replace(".sql", "");
    Path checkpoints = root.resolve(name);
    StringBuilder actual = new StringBuilder();
    try (FreshetSession session = FreshetSession.builder().master("local[2]").create()) {
      session.sql("SET 'checkpoint-location' = '" + checkpoints + "'");
      if (text.contains("-- state-store: rocksdb")) {
        session.sql("SET 'state-store' = 'rocksdb'");
      }
      // A case whose stream's columns change ('-- columns before:') reads CSV files, which a stream declared again
      // reads with its new columns; the others read a memory stream.
      String columnsBefore = text.contains(COLUMNS_BEFORE) ? section(text, COLUMNS_BEFORE, "\n") : null;
      Input input = new Input(session, columnsBefore == null ? null : checkpoints.resolve("input"));
      input.declare(columnsBefore == null ? "k VARCHAR, v BIGINT, ts TIMESTAMP(3)" : columnsBefore);
      session.sql("CREATE TABLE out WITH ('connector' = 'memory')");
      StreamingQuery first = start(session, before);
      input.add(row("a", 1, 1), row("b", 2, 2), row("a", 3, 4));
      first.processAllAvailable();
      input.add(row("a", 4, 12), row("b", 5, 13), row("c", 6, 14));
      first.processAllAvailable();
      first.stop();
      if (columnsBefore != null) {
        input.declare("k VARCHAR, v BIGINT, ts TIMESTAMP(3)");
        // The sink's columns widen with the stream's (an INT sum becomes a BIGINT one).
        session.sql("CREATE OR REPLACE TABLE out WITH ('connector' = 'memory')");
      }
      if (text.contains("-- state-store after: rocksdb")) {
        session.sql("SET 'state-store' = 'rocksdb'");
      }
      if (text.contains(PARALLELISM_AFTER)) {
        session.sql("SET 'parallelism' = '" + section(text, PARALLELISM_AFTER, "\n") + "'");
      }
      String explained = ((StatementResult.Text) session.execute("EXPLAIN UPGRADE INSERT INTO out " + after, 1, 1))
          .text().replace(checkpoints.toString(), "<checkpoint>");
      actual.append(explained);
      boolean refused = explained.contains("result: refused");
      if (refused) {
        FreshetException e = assertThrows(FreshetException.class, () -> start(session, after));
        // The refusal names the node and the difference as EXPLAIN UPGRADE does.
        for (String line : explained.split("\n")) {
          if (line.startsWith("  refused: ")) {
            assertTrue(e.getMessage().contains(line.substring("  refused: ".length())), e.getMessage());
          }
        }
        actual.append("refused at start: ").append(e.getMessage().replace(checkpoints.toString(), "<checkpoint>"))
            .append('\n');
      } else {
        StreamingQuery second = start(session, after);
        input.add(row("a", 7, 16), row("c", 8, 25));
        second.processAllAvailable();
        second.stop();
        // Restarted once more: the state it wrote since the change restores with the state from before it.
        StreamingQuery third = start(session, after);
        if (columnsBefore == null) {
          input.add(row("b", 9, 40));
        } else {
          // A value only the widened column holds, in a window this batch closes.
          input.add(row("b", 9, 40), row("c", 3_000_000_000L, 26));
        }
        third.processAllAvailable();
        third.stop();
        actual.append("answer:\n");
        List<Row> rows = new ArrayList<>(session.memoryTableRows("out"));
        rows.stream().map(Row::toString).sorted(Comparator.naturalOrder()).forEach(r -> actual.append(r)
            .append('\n'));
      }
    }
    Path expectedFile = DIRECTORY.resolve(name + ".expected");
    if (REGENERATE) {
      Files.writeString(expectedFile, actual.toString(), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual.toString(), name);
  }

  /**
   * A changed query whose start is refused for another reason (here, the state of a committed batch is missing)
   * leaves the checkpoint's record of the query that wrote it: the fingerprints are written only once a start has
   * resumed from the checkpoint, so that a later start is still compared with what the state means.
   */
  @Test
  void aStartRefusedForADamagedCheckpointLeavesTheRecordOfTheQueryAsItWas() throws IOException {
    Path checkpoints = root.resolve("refused");
    String before = "SELECT k, COUNT(*) AS c FROM s GROUP BY k";
    String after = "SELECT k, COUNT(*) AS c FROM s WHERE v > 1 GROUP BY k";
    try (FreshetSession session = FreshetSession.builder().master("local[2]").create()) {
      session.sql("SET 'checkpoint-location' = '" + checkpoints + "'");
      session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory')");
      session.sql("CREATE TABLE out WITH ('connector' = 'memory', 'output-mode' = 'update')");
      StreamingQuery first = start(session, before);
      session.memoryStream("s").addData(row("a", 1, 1), row("b", 2, 2));
      first.processAllAvailable();
      first.stop();
      Path plan;
      Path state;
      try (Stream<Path> files = Files.walk(checkpoints)) {
        List<Path> all = files.toList();
        plan = all.stream().filter(p -> p.getFileName().toString().equals("plan")).findFirst().orElseThrow();
        state = all.stream().filter(p -> p.getFileName().toString().equals("state")).findFirst().orElseThrow();
      }
      byte[] recorded = Files.readAllBytes(plan);
      Path aside = root.resolve("state-aside");
      Files.move(state, aside);
      StreamingQuery refused = start(session, after);
      Exception e = assertThrows(Exception.class, refused::processAllAvailable);
      assertTrue(e.getCause().getMessage().contains(state.toString()), e.getCause().getMessage());
      assertArrayEquals(recorded, Files.readAllBytes(plan));
      Files.move(aside, state);
    }
  }

  /**
   * RocksDB state whose versions do not record the layout of their entries (written before they did) cannot be told
   * from the layout of the query as it is now: EXPLAIN UPGRADE and the start refuse to migrate it, saying so and
   * what to do. The query as it was runs on it, and once it has committed a batch, whose version records the layout,
   * the change is migrated.
   */
  @Test
  void rocksDbStateThatRecordsNoLayoutIsMigratedOnlyOnceABatchRecordsIt() throws IOException {
    Path checkpoints = root.resolve("unrecorded");
    try (FreshetSession session = rocksDbSession(checkpoints)) {
      run(session, COUNTS, row("a", 1, 1), row("b", 2, 2));
      recordNoLayout(checkpoints, "rocksdb-\\d+\\.json");
      refusedUntilRecorded(session, "rocksdb-", row("a", 3, 3));
    }
  }

  /**
   * The values a COUNT(DISTINCT ...) has seen start empty only where the groups' version was written without one
   * (its layout says so): when the groups' layout has them and their version is missing, the start is refused.
   */
  @Test
  void rocksDbDistinctValuesMissingFromACheckpointThatHadThemAreRefused() throws IOException {
    Path checkpoints = root.resolve("distinct-missing");
    String query = "SELECT k, COUNT(*) AS c, COUNT(DISTINCT v) AS d FROM s GROUP BY k";
    try (FreshetSession session = rocksDbSession(checkpoints)) {
      run(session, query, row("a", 1, 1), row("b", 2, 2));
      List<Path> lists = rocksDbLists(checkpoints).stream()
          .filter(p -> p.getParent().getFileName().toString().equals("distinct")).toList();
      assertFalse(lists.isEmpty());
      for (Path list : lists) {
        Files.delete(list);
      }
      StreamingQuery q = start(session, query);
      Exception e = assertThrows(Exception.class, q::processAllAvailable);
      Throwable cause = e;
      while (cause.getCause() != null && !String.valueOf(cause.getMessage()).contains("has no version")) {
        cause = cause.getCause();
      }
      assertTrue(String.valueOf(cause.getMessage()).contains("(distinct values) has no version 0"), cause.toString());
    }
  }

  /**
   * When the newest commit entry is corrupt, a start falls back one batch and restores the state of the batch before
   * it: that is the version whose layout decides, so one that records none is not migrated (it would be read in the
   * query's layout), even when the newest version records its layout. The query as it was runs the batch again,
   * which records it, and the change is then migrated.
   */
  @Test
  void rocksDbStateTheStartFallsBackToIsMigratedOnlyWhenItRecordsItsLayout() throws IOException {
    Path checkpoints = root.resolve("falling-back");
    try (FreshetSession session = rocksDbSession(checkpoints)) {
      run(session, COUNTS, row("a", 1, 1), row("b", 2, 2));
      run(session, COUNTS, row("a", 3, 3));
      recordNoLayout(checkpoints, "rocksdb-0\\.json");
      Path commit;
      try (Stream<Path> files = Files.walk(checkpoints)) {
        commit = files.filter(p -> p.endsWith(Path.of("commits", "1"))).findFirst().orElseThrow();
      }
      Files.writeString(commit, "damaged");
      refusedUntilRecorded(session, "rocksdb-0.json");
    }
  }

  private static final String COUNTS = "SELECT k, COUNT(*) AS c, COUNT(*) AS total FROM s GROUP BY k";
  private static final String SUMS = "SELECT k, COUNT(*) AS c, SUM(v) AS total FROM s GROUP BY k";

  /**
   * {@link #COUNTS} changed to {@link #SUMS} is refused, by EXPLAIN UPGRADE (naming a list {@code list}) and by the
   * start, saying why and what to do; {@link #COUNTS} run again (with rows {@code again}) records the layout, and the
   * change is then migrated, with a(1, 3) and b(2) counted before it.
   */
  private static void refusedUntilRecorded(FreshetSession session, String list, Row... again) {
    String why = "added SUM(s.v:BIGINT) after its other aggregates; its RocksDB state (";
    String advice = "was written before RocksDB state recorded the layout of its entries, which a migration needs: "
        + "run the query as it was until it commits a batch, then change it";
    String explained = explain(session, SUMS);
    assertTrue(explained.contains("refused: " + why) && explained.contains(advice) && explained.contains(list),
        explained);
    FreshetException e = assertThrows(FreshetException.class, () -> start(session, SUMS));
    assertTrue(e.getMessage().contains(why) && e.getMessage().contains(advice), e.getMessage());
    run(session, COUNTS, again);
    run(session, SUMS, row("a", 4, 4), row("b", 5, 5));
    assertEquals(List.of("[a,3,4]", "[b,2,5]"), answer(session));
  }

  /**
   * A changed query stopped before it committed a batch leaves the checkpoint recording the changed query while its
   * RocksDB state is still the version written in the earlier layout (as a crash in the middle of rewriting it
   * would): the next start keeps the state, as the query did not change since, and rewrites that version again.
   */
  @Test
  void rocksDbStateInAnEarlierLayoutIsRewrittenAgainWhenNoBatchCommittedSinceTheChange() throws IOException {
    Path checkpoints = root.resolve("rewritten-again");
    String before = "SELECT k, COUNT(*) AS c, COUNT(*) AS m FROM s GROUP BY k";
    String after = "SELECT k, COUNT(*) AS c, MAX(v) AS m FROM s GROUP BY k";
    try (FreshetSession session = rocksDbSession(checkpoints)) {
      run(session, before, row("a", 1, 1), row("b", 2, 2), row("a", 3, 3));
      run(session, after);
      for (Path list : rocksDbLists(checkpoints)) {
        // Each version holds the groups as the query before the change wrote them: no MAX ("a1_value") yet.
        assertFalse(CheckpointFiles.readString(list).contains("a1_value"), list.toString());
      }
      assertTrue(explain(session, after).contains("  kept: unchanged"), explain(session, after));
      run(session, after, row("a", 4, 4), row("b", 5, 5));
      assertEquals(List.of("[a,3,4]", "[b,2,5]"), answer(session));
    }
  }

  /** A session with RocksDB state and checkpoints under {@code checkpoints}, a memory stream s and a table out. */
  private static FreshetSession rocksDbSession(Path checkpoints) {
    FreshetSession session = FreshetSession.builder().master("local[2]").create();
    session.sql("SET 'checkpoint-location' = '" + checkpoints + "'");
    session.sql("SET 'state-store' = 'rocksdb'");
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory')");
    session.sql("CREATE TABLE out WITH ('connector' = 'memory')");
    return session;
  }

  /** Starts {@code query} into out, adds {@code rows} (none: no batch runs), waits for them, and stops it. */
  private static void run(FreshetSession session, String query, Row... rows) {
    StreamingQuery q = start(session, query);
    if (rows.length > 0) {
      session.memoryStream("s").addData(rows);
    }
    q.processAllAvailable();
    q.stop();
  }

  private static String explain(FreshetSession session, String query) {
    return ((StatementResult.Text) session.execute("EXPLAIN UPGRADE INSERT INTO out " + query, 1, 1)).text();
  }

  /** The rows of out, sorted. */
  private static List<String> answer(FreshetSession session) {
    return session.memoryTableRows("out").stream().map(Row::toString).sorted().toList();
  }

  /** The lists of the RocksDB versions under {@code checkpoints}. */
  private static List<Path> rocksDbLists(Path checkpoints) throws IOException {
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files.filter(p -> p.getFileName().toString().matches("rocksdb-\\d+\\.json")).toList();
    }
  }

  /**
   * Removes the layout from each list of a RocksDB version under {@code checkpoints} whose name matches {@code
   * name} (there is one at least), as they were written before versions recorded it.
   */
  private static void recordNoLayout(Path checkpoints, String name) throws IOException {
    List<Path> lists = rocksDbLists(checkpoints).stream().filter(p -> p.getFileName().toString().matches(name))
        .toList();
    assertFalse(lists.isEmpty());
    for (Path list : lists) {
      String text = CheckpointFiles.readString(list);
      ObjectNode version = (ObjectNode) Json.MAPPER.readTree(text.substring(text.indexOf('\n') + 1));
      assertTrue(version.has("layout"), text);
      version.remove("layout");
      CheckpointFiles.write(list, ("v1\n" + version).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final String COLUMNS_BEFORE = "-- columns before:";
  private static final String PARALLELISM_AFTER = "-- parallelism after:";

  /** The stream {@code s}: a memory stream, or CSV files dropped into {@code directory} one per batch. */
  private record Input(FreshetSession session, Path directory) {
    void declare(String columns) throws IOException {
      String with = directory == null ? "'connector' = 'memory'" : "'connector' = 'file', 'format' = 'csv', "
          + "'path' = '" + Files.createDirectories(directory) + "'";
      session.sql("CREATE OR REPLACE STREAM s (" + columns + ", WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ("
          + with + ")");
    }

    void add(Row... rows) throws IOException {
      if (directory == null) {
        session.memoryStream("s").addData(rows);
        return;
      }
      StringBuilder csv = new StringBuilder();
      for (Row r : rows) {
        csv.append(r.get(0)).append(',').append(r.get(1)).append(',').append(r.get(2).toString().replace('T', ' '))
            .append('\n');
      }
      long n;
      try (Stream<Path> files = Files.list(directory)) {
        n = files.count();
      }
      Path staged = directory.resolveSibling("batch-" + n + ".csv");
      Files.writeString(staged, csv);
      staged.toFile().setLastModified(1_700_000_000_000L + 1000L * n);
      Files.move(staged, directory.resolve(staged.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static StreamingQuery start(FreshetSession session, String query) {
    return ((StatementResult.Started) session.execute("INSERT INTO out " + query, 1, 1)).query();
  }

  private static String section(String text, String from, String to) {
    int start = text.indexOf(from) + from.length();
    int end = to == null ? text.length() : text.indexOf(to, start);
    return text.substring(start, end).strip().replaceAll(";$", "");
  }
}
