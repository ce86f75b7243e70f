package io.freshet.sql.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.FreshetSession;
import io.freshet.sql.StatementResult;
import io.freshet.exec.format.SinkManifest;
import io.freshet.exec.memory.MemoryStream;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file source and sink: formats, options, malformed rows, exactly-once reading and writing. */
class FileConnectorTest {
  @TempDir
  Path tmp;
  private Path in;
  private Path staging;
  private FreshetSession session;
  private int fileNumber;

  @BeforeEach
  void setUp() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    staging = Files.createDirectories(tmp.resolve("staging"));
    session = FreshetSession.builder().create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  /** Writes a file elsewhere and renames it into the watched directory, as writers should. */
  private Path drop(String name, String... lines) throws IOException {
    Path file = staging.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    // Distinct modification times keep the reading order the order of the drops.
    file.toFile().setLastModified(1_700_000_000_000L + 1000L * fileNumber++);
    return Files.move(file, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private void stream(String columns, String options) {
    session.sql("CREATE STREAM s (" + columns + ") WITH ('connector' = 'file', 'path' = '" + in + "'"
        + (options.isEmpty() ? "" : ", " + options) + ")");
  }

  private StreamingQuery toMemory(String sql, String name) {
    return session.sql(sql).writeStream().format("memory").queryName(name)
        .option("checkpointLocation", tmp.resolve("cp-" + name).toString()).start();
  }

  private static long malformed(StreamingQuery q) {
    return q.recentProgress().stream().flatMap(p -> p.sources().stream())
        .mapToLong(s -> Long.parseLong(s.metrics().getOrDefault("numMalformedRows", "0"))).sum();
  }

  @Test
  void csvFilesAreReadOnceEachInTheOrderTheyArriveAndNotAgainAfterARestart() throws Exception {
    stream("id BIGINT, name VARCHAR, price DOUBLE, ok BOOLEAN, ts TIMESTAMP(3)", "'format' = 'csv'");
    drop("a.csv", "1,apple,1.5,true,2026-01-01 00:00:01.250", "2,\"pear, green\",,false,2026-01-01 00:00:02");
    StreamingQuery q = toMemory("SELECT * FROM s", "out");
    q.processAllAvailable();
    assertEquals(List.of(
        Row.of(1L, "apple", 1.5, true, LocalDateTime.of(2026, 1, 1, 0, 0, 1, 250_000_000)),
        Row.of(2L, "pear, green", null, false, LocalDateTime.of(2026, 1, 1, 0, 0, 2))),
        session.memoryTableRows("out"));
    drop("b.csv", "3,\"say \"\"hi\"\"\",3,true,");
    q.processAllAvailable();
    q.stop();
    assertEquals(Row.of(3L, "say \"hi\"", 3.0, true, null), session.memoryTableRows("out").get(2));

    drop("c.csv", "4,plum,4,false,");
    StreamingQuery again = toMemory("SELECT * FROM s", "out");
    again.processAllAvailable();
    again.stop();
    assertEquals(List.of(1L, 2L, 3L, 4L), ids(session.memoryTableRows("out")));
  }

  private static List<Object> ids(List<Row> rows) {
    return rows.stream().map(r -> r.get(0)).toList();
  }

  @Test
  void headerTimestampFormatDelimiterAndNullValue() throws Exception {
    stream("id BIGINT, name VARCHAR, ts TIMESTAMP(3)", "'format' = 'csv', 'header' = 'true', 'delimiter' = ';', "
        + "'nullValue' = 'NA', 'timestampFormat' = 'dd/MM/yyyy HH:mm'");
    drop("a.csv", "id;name;ts", "1;NA;31/12/2025 23:59", "2;;01/01/2026 00:00");
    StreamingQuery q = toMemory("SELECT * FROM s", "out");
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of(Row.of(1L, null, LocalDateTime.of(2025, 12, 31, 23, 59)),
        Row.of(2L, "", LocalDateTime.of(2026, 1, 1, 0, 0))), session.memoryTableRows("out"));
  }

  @Test
  void aLineOffsetColumnGetsTheByteWhereEachLineStartsInItsFile() throws Exception {
    stream("pos BIGINT, value VARCHAR", "'lineOffsetColumn' = 'pos'");
    drop("a.txt", "ab", "é", "", "cd");
    drop("b.txt", "x");
    StreamingQuery q = toMemory("SELECT * FROM s", "out");
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of(Row.of(0L, "ab"), Row.of(3L, "é"), Row.of(6L, ""), Row.of(7L, "cd"), Row.of(0L, "x")),
        session.memoryTableRows("out"));
    RuntimeException notBigint = assertThrows(RuntimeException.class, () -> session.sql("CREATE STREAM t (v VARCHAR) "
        + "WITH ('connector' = 'file', 'path' = '" + in + "', 'lineOffsetColumn' = 'v')"));
    assertTrue(notBigint.getMessage().contains("Option 'lineOffsetColumn' of 't' names 'v', which must be a BIGINT "
        + "column"), notBigint.getMessage());
    RuntimeException csv = assertThrows(RuntimeException.class, () -> session.sql("CREATE STREAM u (p BIGINT, "
        + "v VARCHAR) WITH ('connector' = 'file', 'path' = '" + in + "', 'format' = 'csv', 'lineOffsetColumn' = 'p')"));
    assertTrue(csv.getMessage().contains("Option 'lineOffsetColumn' of 'u' is for the text format, not csv"),
        csv.getMessage());
  }

  @Test
  void jsonLinesAndText() throws Exception {
    session.sql("CREATE STREAM j (id BIGINT, tags VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'file', "
        + "'path' = '" + in + "/*.json', 'format' = 'json')");
    session.sql("CREATE STREAM t WITH ('connector' = 'file', 'path' = '" + in + "/*.txt')");
    drop("a.json", "{\"id\": 1, \"tags\": \"x\", \"ts\": \"2026-01-01 00:00:00.000\", \"unknown\": [1, 2]}",
        "{\"ts\": 1767225600001, \"id\": 2}");
    drop("a.txt", "hello world", "", "bye");
    StreamingQuery json = toMemory("SELECT * FROM j", "json_out");
    StreamingQuery text = toMemory("SELECT UPPER(`value`) AS v FROM t", "text_out");
    json.processAllAvailable();
    text.processAllAvailable();
    json.stop();
    text.stop();
    assertEquals(List.of(Row.of(1L, "x", LocalDateTime.of(2026, 1, 1, 0, 0)),
        Row.of(2L, null, LocalDateTime.of(2026, 1, 1, 0, 0, 0, 1_000_000))), session.memoryTableRows("json_out"));
    assertEquals(List.of(Row.of("HELLO WORLD"), Row.of(""), Row.of("BYE")), session.memoryTableRows("text_out"));
  }

  @Test
  void failFastNamesTheFileAndLine() throws Exception {
    stream("id BIGINT, name VARCHAR", "'format' = 'csv', 'mode' = 'FAILFAST'");
    Path bad = drop("bad.csv", "1,a", "two,b");
    StreamingQuery q = toMemory("SELECT * FROM s", "out");
    StreamingQueryException e = assertThrows(StreamingQueryException.class, q::awaitTermination);
    assertTrue(e.getMessage().contains("file " + bad + ", line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("column id needs a BIGINT, got 'two'"), e.getMessage());
    assertTrue(e.getMessage().contains("DROPMALFORMED"), e.getMessage());
    assertEquals(List.of(), session.memoryTableRows("out"), "the failed batch wrote nothing");
  }

  @Test
  void aQuoteInsideAnUnquotedFieldIsJustACharacter() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lines.add(i + (i == 2 ? ",5'10\"" : i == 500 ? ",Bob \"the\" Smith" : ",plain"));
    }
    drop("people.csv", lines.toArray(String[]::new));
    for (String mode : List.of("DROPMALFORMED", "PERMISSIVE", "FAILFAST")) {
      session.sql("CREATE OR REPLACE STREAM s (id BIGINT, note VARCHAR) WITH ('connector' = 'file', 'path' = '" + in
          + "', 'format' = 'csv', 'bounded' = 'true', 'mode' = '" + mode + "')");
      List<Row> rows = session.sql("SELECT * FROM s").collectAsList();
      assertEquals(1000, rows.size(), mode);
      assertEquals(Row.of(2L, "5'10\""), rows.get(2), mode);
      assertEquals(Row.of(500L, "Bob \"the\" Smith"), rows.get(500), mode);
    }
  }

  @Test
  void aMalformedRecordAfterAQuotedFieldOverSeveralLinesIsNamedByItsOwnFirstLine() throws Exception {
    stream("id BIGINT, note VARCHAR", "'format' = 'csv', 'mode' = 'FAILFAST'");
    Path bad = drop("multi.csv", "1,\"first", "second\"", "2,ok", "three,\"a", "b\"", "4,end");
    StreamingQuery q = toMemory("SELECT * FROM s", "out");
    StreamingQueryException e = assertThrows(StreamingQueryException.class, q::awaitTermination);
    assertTrue(e.getMessage().contains("file " + bad + ", line 4:"), e.getMessage());
    assertTrue(e.getMessage().contains("column id needs a BIGINT, got 'three'"), e.getMessage());
  }

  @Test
  void permissiveKeepsTheRawTextAndDropMalformedDropsButBothCount() throws Exception {
    drop("a.csv", "1,a", "x,b", "3,c,extra", "4,d");
    session.sql("CREATE STREAM p (id BIGINT, name VARCHAR, _corrupt_record VARCHAR) WITH ('connector' = 'file', "
        + "'path' = '" + in + "', 'format' = 'csv')");
    session.sql("CREATE STREAM d (id BIGINT, name VARCHAR) WITH ('connector' = 'file', "
        + "'path' = '" + in + "', 'format' = 'csv', 'mode' = 'DROPMALFORMED')");
    StreamingQuery p = toMemory("SELECT * FROM p", "p_out");
    StreamingQuery d = toMemory("SELECT * FROM d", "d_out");
    p.processAllAvailable();
    d.processAllAvailable();
    p.stop();
    d.stop();
    assertEquals(List.of(Row.of(1L, "a", null), Row.of(null, "b", "x,b"), Row.of(3L, "c", "3,c,extra"),
        Row.of(4L, "d", null)), session.memoryTableRows("p_out"));
    assertEquals(List.of(Row.of(1L, "a"), Row.of(4L, "d")), session.memoryTableRows("d_out"));
    assertEquals(2, malformed(p));
    assertEquals(2, malformed(d));
  }

  @Test
  void maxFilesPerTriggerSplitsTheBacklogIntoBatches() throws Exception {
    stream("`value` VARCHAR", "'maxFilesPerTrigger' = '2'");
    for (int i = 0; i < 5; i++) {
      drop("f" + i + ".txt", "line " + i);
    }
    List<String> batches = new ArrayList<>();
    StreamingQuery q = session.sql("SELECT * FROM s").writeStream()
        .foreachBatch((rows, id) -> batches.add(id + ":" + rows.collectAsList())).start();
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of("0:[[line 0], [line 1]]", "1:[[line 2], [line 3]]", "2:[[line 4]]"), batches);
  }

  @Test
  void inSeveralPartitionsEachFileIsReadOnceAndRowsKeepTheOrderOfTheFiles() throws Exception {
    // One large file and six small ones in one batch over three partitions: a partition that drew small files
    // takes the next ones, and the rows still come out in the order of the files, each once.
    try (FreshetSession parallel = FreshetSession.builder().master("local[3]").create()) {
      parallel.sql("CREATE STREAM s (id BIGINT, k VARCHAR) WITH ('connector' = 'file', 'path' = '" + in
          + "', 'format' = 'csv')");
      List<Long> expected = new ArrayList<>();
      int[] sizes = {50_000, 3, 1, 20_000, 2, 5, 1};
      long id = 0;
      for (int f = 0; f < sizes.length; f++) {
        String[] lines = new String[sizes[f]];
        for (int i = 0; i < lines.length; i++) {
          expected.add(id);
          lines[i] = id + ",k" + (id++ % 7);
        }
        drop("f" + f + ".csv", lines);
      }
      StreamingQuery rows = parallel.sql("SELECT id FROM s").writeStream().format("memory").queryName("ordered")
          .option("checkpointLocation", tmp.resolve("cp-ordered").toString()).start();
      rows.processAllAvailable();
      rows.stop();
      assertEquals(expected, ids(parallel.memoryTableRows("ordered")));
      StreamingQuery counts = parallel.sql("SELECT k, COUNT(*) FROM s GROUP BY k").writeStream().format("memory")
          .queryName("counts").outputMode("complete")
          .option("checkpointLocation", tmp.resolve("cp-counts").toString()).start();
      counts.processAllAvailable();
      counts.stop();
      List<Row> answer = parallel.memoryTableRows("counts");
      assertEquals(7, answer.size());
      assertEquals(id, answer.stream().mapToLong(r -> r.getLong(1)).sum());
      assertTrue(answer.contains(Row.of("k0", (id + 6) / 7)), answer.toString());
    }
  }

  @Test
  void aQueryWithoutStateOverManyFilesHoldsOnlyTheFilesInFlight() throws Exception {
    // Two million rows in forty files, one batch, two partitions, a 32 MB session: each file's rows go to the sink
    // once it and the files before it are read, not when the whole batch is.
    long id = 0;
    for (int f = 0; f < 40; f++) {
      String[] lines = new String[50_000];
      for (int i = 0; i < lines.length; i++) {
        lines[i] = id + ",k" + (id++ % 97);
      }
      drop("f" + f + ".csv", lines);
    }
    try (FreshetSession small = FreshetSession.builder().master("local[2]").memoryLimit(32L << 20).create()) {
      small.sql("CREATE STREAM s (id BIGINT, k VARCHAR) WITH ('connector' = 'file', 'path' = '" + in
          + "', 'format' = 'csv')");
      StreamingQuery query = small.sql("SELECT id, k FROM s").writeStream().format("blackhole")
          .option("checkpointLocation", tmp.resolve("cp-many").toString())
          .trigger(io.freshet.streaming.Trigger.AvailableNow()).start();
      query.awaitTermination();
      assertEquals(id, query.recentProgress().stream().mapToLong(p -> p.sink().numOutputRows()).sum());
    }
  }

  @Test
  void maxBytesPerTriggerAndLatestFirst() throws Exception {
    stream("`value` VARCHAR", "'maxBytesPerTrigger' = '10', 'latestFirst' = 'true'");
    drop("old.txt", "aaaa");
    drop("mid.txt", "bbbb");
    drop("new.txt", "cccc");
    List<String> batches = new ArrayList<>();
    StreamingQuery q = session.sql("SELECT * FROM s").writeStream()
        .foreachBatch((rows, id) -> batches.add(id + ":" + rows.collectAsList())).start();
    q.processAllAvailable();
    q.stop();
    // Five bytes a file: two files fit in 10 bytes; the newest are read first.
    assertEquals(List.of("0:[[cccc], [bbbb]]", "1:[[aaaa]]"), batches);
  }

  @Test
  void aBoundedDirectoryEndsTheQueryAndClosesEveryWindow() throws Exception {
    stream("k VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND",
        "'format' = 'csv', 'bounded' = 'true'");
    drop("a.csv", "a,2026-01-01 00:00:01.000", "b,2026-01-01 00:00:12.000");
    drop("b.csv", "a,2026-01-01 00:00:13.000");
    StreamingQuery q = toMemory("SELECT window_start, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k", "out");
    q.awaitTermination();
    LocalDateTime t0 = LocalDateTime.of(2026, 1, 1, 0, 0);
    assertEquals(List.of(Row.of(t0, "a", 1L), Row.of(t0.plusSeconds(10), "a", 1L), Row.of(t0.plusSeconds(10), "b",
        1L)), session.memoryTableRows("out").stream().sorted(java.util.Comparator.comparing(Object::toString))
        .toList());
    assertFalse(q.isActive());
  }

  @Test
  void cleanSourceArchivesOrDeletesAFileOnceItsBatchIsCommitted() throws Exception {
    Path archive = tmp.resolve("archive");
    stream("`value` VARCHAR", "'cleanSource' = 'archive', 'sourceArchiveDir' = '" + archive + "'");
    drop("a.txt", "one");
    StreamingQuery q = toMemory("SELECT * FROM s", "out");
    q.processAllAvailable();
    assertFalse(Files.exists(in.resolve("a.txt")));
    assertEquals("one\n", Files.readString(archive.resolve("a.txt")));
    q.stop();

    session.sql("CREATE STREAM del WITH ('connector' = 'file', 'path' = '" + in + "', 'cleanSource' = 'delete')");
    drop("b.txt", "two");
    StreamingQuery d = toMemory("SELECT * FROM del", "del_out");
    d.processAllAvailable();
    d.stop();
    assertEquals(List.of(Row.of("two")), session.memoryTableRows("del_out"));
    assertFalse(Files.exists(in.resolve("b.txt")));
  }

  @Test
  void aFileRenamedInWhileABatchRunsIsReadWholeInTheNextBatchExactlyOnce() throws Exception {
    stream("`value` VARCHAR", "");
    drop("first.txt", "a");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      lines.add("row " + i);
    }
    Path big = staging.resolve("big.txt");
    Files.write(big, lines);
    List<Long> rowsPerBatch = new ArrayList<>();
    StreamingQuery q = session.sql("SELECT * FROM s").writeStream()
        .option("checkpointLocation", tmp.resolve("cp").toString())
        .foreachBatch((rows, id) -> {
          rowsPerBatch.add(rows.count());
          if (id == 0) {
            Files.move(big, in.resolve("big.txt"), StandardCopyOption.ATOMIC_MOVE);
          }
        }).start();
    q.processAllAvailable(); // the first file, during whose batch the big one comes
    q.processAllAvailable(); // the big one, there when this is called
    q.stop();
    assertEquals(List.of(1L, 20_000L), rowsPerBatch);
  }

  @Test
  void theFileSinkWritesPartFilesThatTheFileSourceReadsBackExactlyOnce() throws Exception {
    Path out = tmp.resolve("out");
    session.sql("SET 'checkpoint-location' = '" + tmp.resolve("cp") + "'");
    stream("id BIGINT, name VARCHAR", "'format' = 'csv'");
    session.sql("CREATE TABLE sink (id BIGINT, name VARCHAR) WITH ('connector' = 'file', 'path' = '" + out
        + "', 'format' = 'json')");
    drop("a.csv", "1,a", "2,\"b \"\"q\"\"\"");
    StreamingQuery q = ((StatementResult.Started) session.execute("INSERT INTO sink SELECT * FROM s", 1, 1)).query();
    q.processAllAvailable();
    drop("b.csv", "3,");
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of("part-000000-0000.json", "part-000001-0000.json"), partFiles(out));
    assertEquals("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b \\\"q\\\"\"}\n",
        Files.readString(out.resolve("part-000000-0000.json")));

    // A part file no manifest names (a batch that crashed before its commit) is not output.
    Files.writeString(out.resolve("part-000099-0000.json"), "{\"id\":99}\n");
    // As if the process died after the sink committed batch 1 but before the commit log said so.
    Files.delete(tmp.resolve("cp").resolve("sink").resolve("commits").resolve("1"));
    StreamingQuery again = ((StatementResult.Started) session.execute("INSERT INTO sink SELECT * FROM s", 1, 1))
        .query();
    again.processAllAvailable();
    again.stop();

    session.sql("CREATE STREAM back (id BIGINT, name VARCHAR) WITH ('connector' = 'file', 'path' = '" + out
        + "', 'format' = 'json', 'bounded' = 'true')");
    StreamingQuery read = toMemory("SELECT * FROM back", "back_out");
    read.awaitTermination();
    assertEquals(List.of(Row.of(1L, "a"), Row.of(2L, "b \"q\""), Row.of(3L, null)),
        session.memoryTableRows("back_out"));
  }

  @Test
  void aMalformedLineThatOpensAQuotedFieldTakesTheLinesOfThatFieldWithIt() throws Exception {
    // The second record is malformed (text after a closing quote) and its last field goes on over a line break:
    // the third line belongs to it, and is not a record of its own.
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("a.csv"), "1,ok\n\"2\"x,\"first\n3,second\"\n4,ok\n");
    session.sql("CREATE STREAM quoted (id BIGINT, note VARCHAR) WITH ('connector' = 'file', 'path' = '" + in
        + "', 'format' = 'csv', 'bounded' = 'true', 'mode' = 'DROPMALFORMED')");
    StreamingQuery read = toMemory("SELECT * FROM quoted", "quoted_out");
    read.awaitTermination();
    assertEquals(List.of(Row.of(1L, "ok"), Row.of(4L, "ok")), session.memoryTableRows("quoted_out"));
  }

  @Test
  void csvValuesWithLineBreaksAndQuotesReadBackAsWritten() throws Exception {
    Path out = tmp.resolve("out");
    session.sql("CREATE STREAM m (id BIGINT, note VARCHAR) WITH ('connector' = 'memory')");
    var input = session.memoryStream("m");
    StreamingQuery write = session.sql("SELECT * FROM m").writeStream().format("file")
        .option("path", out.toString()).option("checkpointLocation", tmp.resolve("cp-w").toString()).start();
    input.addData(Row.of(1L, "two\nlines, \"quoted\""), Row.of(2L, ""), Row.of(3L, null));
    write.processAllAvailable();
    write.stop();
    session.sql("CREATE STREAM back (id BIGINT, note VARCHAR) WITH ('connector' = 'file', 'path' = '" + out
        + "', 'format' = 'csv', 'bounded' = 'true', 'mode' = 'FAILFAST')");
    StreamingQuery read = toMemory("SELECT * FROM back", "back_out");
    read.awaitTermination();
    assertEquals(List.of(Row.of(1L, "two\nlines, \"quoted\""), Row.of(2L, ""), Row.of(3L, null)),
        session.memoryTableRows("back_out"));
  }

  @Test
  void aSecondQueryWritingToTheSameOutputPathIsRefused() throws Exception {
    Path out = tmp.resolve("out");
    session.sql("CREATE STREAM m (id BIGINT) WITH ('connector' = 'memory')");
    var input = session.memoryStream("m");
    java.util.function.Function<String, StreamingQuery> start = cp -> session.sql("SELECT * FROM m").writeStream()
        .format("file").option("path", out.toString()).option("checkpointLocation", tmp.resolve(cp).toString())
        .start();
    StreamingQuery first = start.apply("cp-1");
    input.addData(Row.of(1L));
    first.processAllAvailable();
    first.stop();
    StreamingQuery second = start.apply("cp-2");
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> {
      second.processAllAvailable();
      second.awaitTermination();
    });
    assertTrue(e.getMessage().contains("already holds batch 0 written by another query"), e.getMessage());
  }

  @Test
  void anOutputPathChangedAndChangedBackKeepsEachBatchOnceButAnEmptiedManifestIsRefused() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    session.sql("CREATE STREAM m (id BIGINT) WITH ('connector' = 'memory')");
    var input = session.memoryStream("m");
    java.util.function.Function<Path, StreamingQuery> start = out -> session.sql("SELECT * FROM m").writeStream()
        .format("file").option("path", out.toString()).option("checkpointLocation", tmp.resolve("cp").toString())
        .start();
    long id = 1;
    for (Path out : List.of(a, b, a)) {
      StreamingQuery q = start.apply(out);
      input.addData(Row.of(id++));
      q.processAllAvailable();
      q.stop();
    }
    assertEquals(List.of("1", "3"), committedLines(a));
    assertEquals(List.of("2"), committedLines(b));

    // The manifest emptied: the part files of committed batches 0 and 2 would be lost to readers.
    try (var entries = Files.list(a.resolve(SinkManifest.DIRECTORY))) {
      for (Path entry : entries.toList()) {
        Files.delete(entry);
      }
    }
    StreamingQuery refused = start.apply(a);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, refused::processAllAvailable);
    assertEquals("The file sink manifest " + a.resolve(SinkManifest.DIRECTORY).resolve("0") + " is missing: batch 0 "
        + "committed and wrote [part-000000-0000.csv] to " + a + ", and the manifest is the record of the files it "
        + "wrote, so its output is lost to readers. Restore the manifest from a backup, or move the output away and "
        + "start the query with a new checkpoint location", e.getCause().getMessage());
  }

  /**
   * The reviewer's case: batch 1 crashes at path A after renaming its part file and before its manifest entry,
   * the restart writes to path B, where batch 1 commits, and the query goes back to A. The part file batch 1 left
   * at A is an attempt its intent marker accounts for, not a lost entry: it is deleted, and A is not refused.
   */
  @Test
  void aBatchThatCrashedMidCommitAtOnePathAndCommittedAtAnotherIsNotRefusedWhenThePathChangesBack()
      throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path cp = tmp.resolve("cp");
    FileWrites writes = crashedAtAThenCommittedAtB(a, b, cp);
    assertEquals(List.of("part-000000-0000.csv", "part-000001-0000.csv"), partFiles(a));
    writes.run(b, 3);
    assertEquals(List.of("2", "3"), committedLines(b));

    writes.run(a, 4);
    assertEquals(List.of("1", "4"), committedLines(a));
    assertEquals(List.of("part-000000-0000.csv", "part-000003-0000.csv"), partFiles(a));
    assertEquals(List.of("0", "3"), manifestNames(a));
  }

  /** {@code SELECT * FROM m}, a memory stream, written to the file sink with one checkpoint location. */
  private final class FileWrites {
    private final MemoryStream input;
    private final Path cp;

    FileWrites(Path cp) {
      session.sql("CREATE STREAM m (id BIGINT) WITH ('connector' = 'memory')");
      this.input = session.memoryStream("m");
      this.cp = cp;
    }

    StreamingQuery start(Path out) {
      return session.sql("SELECT * FROM m").writeStream().format("file").option("path", out.toString())
          .option("checkpointLocation", cp.toString()).start();
    }

    /** Starts the query at {@code out}, runs a batch of each row (or what is pending), and stops it. */
    void run(Path out, long... ids) {
      StreamingQuery q = start(out);
      q.processAllAvailable();
      for (long id : ids) {
        input.addData(Row.of(id));
        q.processAllAvailable();
      }
      q.stop();
    }
  }

  /**
   * Batches 0 and 1 written at path {@code a}, batch 1 crashed there after renaming its part file and before its
   * entry, and the query restarted at path {@code b}, where batch 1 ran again and committed.
   */
  private FileWrites crashedAtAThenCommittedAtB(Path a, Path b, Path cp) throws IOException {
    FileWrites writes = new FileWrites(cp);
    writes.run(a, 1, 2);
    crashMidCommit(a, cp, 1, Crash.AFTER_RENAMES);
    writes.run(b);
    return writes;
  }

  /** Where a batch's commit to the file sink stops, as {@link #crashMidCommit} leaves it. */
  private enum Crash {
    /** The intent marker written, no part file renamed yet. */
    AFTER_MARKER,
    /** The marker written, the first part file renamed, not the others. */
    MID_RENAME,
    /** The marker written and every part file renamed, no entry. */
    AFTER_RENAMES,
    /** The entry written, the marker not deleted yet. */
    AFTER_ENTRY
  }

  /**
   * Puts {@code out} back to where batch {@code batchId}'s commit stood at {@code crash}, and removes the batch's
   * commit entry from the checkpoint, as the process that died there would have left them. The marker's bytes are
   * those of the entry (both name the batch, its query and its files).
   */
  private static void crashMidCommit(Path out, Path cp, long batchId, Crash crash) throws IOException {
    Path entry = out.resolve(SinkManifest.DIRECTORY).resolve(Long.toString(batchId));
    Path marker = out.resolve(SinkManifest.DIRECTORY).resolve(batchId + SinkManifest.PENDING);
    if (crash == Crash.AFTER_ENTRY) {
      Files.copy(entry, marker);
    } else {
      Files.move(entry, marker);
      List<String> parts = partFiles(out).stream().filter(n -> n.startsWith(String.format("part-%06d-", batchId)))
          .toList();
      for (String part : parts.subList(crash == Crash.AFTER_MARKER ? 0 : crash == Crash.MID_RENAME ? 1 : parts.size(),
          parts.size())) {
        // Not renamed yet: the hidden in-progress file is still there.
        Files.move(out.resolve(part), out.resolve("." + part + ".inprogress"));
      }
    }
    Files.delete(cp.resolve("commits").resolve(Long.toString(batchId)));
  }

  @Test
  void aBatchThatCrashedAtAnyPointOfItsCommitIsWrittenOnceWhenItRunsAgainAtThePath() throws Exception {
    for (Crash crash : Crash.values()) {
      Path out = tmp.resolve("out-" + crash);
      Path cp = tmp.resolve("cp-" + crash);
      String stream = "m_" + crash.ordinal();
      session.sql("CREATE STREAM " + stream + " (id BIGINT) WITH ('connector' = 'memory')");
      var input = session.memoryStream(stream);
      java.util.function.Supplier<StreamingQuery> start = () -> session.sql("SELECT * FROM " + stream).writeStream()
          .format("file").option("path", out.toString()).option("maxFileSize", "1")
          .option("checkpointLocation", cp.toString()).start();
      StreamingQuery q = start.get();
      input.addData(Row.of(1L));
      q.processAllAvailable();
      input.addData(Row.of(2L), Row.of(3L));
      q.processAllAvailable();
      q.stop();
      List<String> parts = List.of("part-000000-0000.csv", "part-000001-0000.csv", "part-000001-0001.csv");
      assertEquals(parts, partFiles(out), crash.toString());
      crashMidCommit(out, cp, 1, crash);

      q = start.get(); // batch 1 runs again with the same rows, or is skipped as held
      q.processAllAvailable();
      q.stop();
      assertEquals(List.of("1", "2", "3"), committedLines(out), crash.toString());
      assertEquals(parts, partFiles(out), crash.toString());
      assertEquals(List.of("0", "1"), manifestNames(out), crash.toString());
    }
  }

  /**
   * A part file gone from a batch the sink committed and the checkpoint did not (a restart would skip the batch as
   * held) is refused by name, and the refused start changes nothing; one gone from a batch the checkpoint committed
   * is only a warning in the log (a downstream file source with 'cleanSource' deletes the files it read), and the
   * query goes on.
   */
  @Test
  void aDeletedPartFileOfABatchARestartWouldSkipIsRefusedByName() throws Exception {
    Path out = tmp.resolve("out");
    Path cp = tmp.resolve("cp");
    FileWrites writes = new FileWrites(cp);
    writes.run(out, 1, 2);
    // As if the process died after the sink committed batch 1 and before the commit log said so.
    Files.delete(cp.resolve("commits").resolve("1"));
    Path part = out.resolve("part-000001-0000.csv");
    Files.move(part, tmp.resolve("saved.csv"));
    var before = contents(out);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, writes.start(out)::processAllAvailable);
    assertEquals("The output directory " + out + " is missing [part-000001-0000.csv], which batch 1 committed and "
        + "its manifest entry " + out.resolve(SinkManifest.DIRECTORY).resolve("1") + " names, and the checkpoint "
        + "has not committed the batch yet: it would be skipped as held, and readers of the output fail or lose its "
        + "rows. Restore the missing part file(s) from a backup; to write the batch again, delete its other part "
        + "files [part-000001-0000.csv] and the entry together; or move the output away and start the query with a "
        + "new checkpoint location", e.getCause().getMessage());
    assertEquals(before, contents(out));

    Files.move(tmp.resolve("saved.csv"), part);
    Files.delete(out.resolve("part-000000-0000.csv")); // batch 0 is committed: a warning
    writes.run(out, 3);
    assertEquals(List.of("part-000001-0000.csv", "part-000002-0000.csv"), partFiles(out));
    assertEquals(List.of("0", "1", "2"), manifestNames(out));
    assertEquals("3\n", Files.readString(out.resolve("part-000002-0000.csv")));
  }

  /**
   * The README's pipeline: a downstream query reads the file sink's directory with 'cleanSource' = 'delete', which
   * deletes committed part files once it has read them. The upstream query restarts and goes on, and the
   * downstream one reads each row once.
   */
  @Test
  void aDownstreamQueryThatDeletesThePartFilesItReadDoesNotStopTheUpstreamQueryRestarting() throws Exception {
    Path out = tmp.resolve("out");
    FileWrites writes = new FileWrites(tmp.resolve("cp"));
    List<Row> read = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      writes.run(out, id);
      if (id == 1) {
        session.sql("CREATE STREAM down (id BIGINT) WITH ('connector' = 'file', 'path' = '" + out
            + "', 'format' = 'csv', 'cleanSource' = 'delete')");
      }
      StreamingQuery d = toMemory("SELECT * FROM down", "down_out");
      d.processAllAvailable();
      d.stop();
      assertEquals(List.of(), partFiles(out));
      read.add(Row.of(id));
      assertEquals(read, session.memoryTableRows("down_out"));
    }
    assertEquals(List.of("0", "1", "2"), manifestNames(out));
  }

  /**
   * The reviewer's case: batch 2 crashed after renaming its part file into place and before its entry, and batch
   * 0's entry is gone too. The start is refused for batch 0 and changes nothing, batch 2's unfinished commit
   * included (its clean-up waits until every start check has passed); a second start is refused the same way.
   */
  @Test
  void aRefusedStartLeavesTheOutputAsItWas() throws Exception {
    Path out = tmp.resolve("out");
    Path cp = tmp.resolve("cp");
    FileWrites writes = new FileWrites(cp);
    writes.run(out, 1, 2, 3);
    crashMidCommit(out, cp, 2, Crash.AFTER_RENAMES);
    Files.delete(out.resolve(SinkManifest.DIRECTORY).resolve("0"));
    var before = contents(out);
    for (int attempt = 0; attempt < 2; attempt++) {
      StreamingQueryException e = assertThrows(StreamingQueryException.class,
          writes.start(out)::processAllAvailable);
      assertEquals("The file sink manifest " + out.resolve(SinkManifest.DIRECTORY).resolve("0") + " is missing: "
          + "batch 0 committed and wrote [part-000000-0000.csv] to " + out + ", and the manifest is the record of "
          + "the files it wrote, so its output is lost to readers. Restore the manifest from a backup, or move the "
          + "output away and start the query with a new checkpoint location", e.getCause().getMessage());
      assertEquals(before, contents(out), "attempt " + attempt);
    }
  }

  /**
   * The path A, B, A case with batch 1's intent marker at A damaged, then replaced by another query's: neither
   * accounts for batch 1's part file at A (its entry may be what was lost), so the start is refused naming the
   * marker and the entry, and changes nothing. With the query's own marker back, the start goes on.
   */
  @Test
  void aDamagedMarkerOrAnotherQuerysDoesNotAccountForAPartFileOfACommittedBatch() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path cp = tmp.resolve("cp");
    FileWrites writes = crashedAtAThenCommittedAtB(a, b, cp);

    Path marker = a.resolve(SinkManifest.DIRECTORY).resolve("1" + SinkManifest.PENDING);
    Path entry = a.resolve(SinkManifest.DIRECTORY).resolve("1");
    byte[] own = Files.readAllBytes(marker);
    Files.write(marker, java.util.Arrays.copyOf(own, own.length / 2));
    var before = contents(a);
    StreamingQueryException damaged = assertThrows(StreamingQueryException.class,
        writes.start(a)::processAllAvailable);
    String lost = "The file sink manifest " + entry + " is missing: batch 1 committed and wrote "
        + "[part-000001-0000.csv] to " + a + ", and the manifest is the record of the files it wrote, so its output "
        + "is lost to readers";
    String message = damaged.getCause().getMessage();
    assertTrue(message.startsWith(lost + ", unless the batch's commit never finished here and it committed at "
        + "another output path, which its intent marker " + marker + " would say, but the marker is "), message);
    assertTrue(message.endsWith(". Restore the entry or the marker from a backup; if the batch committed at "
        + "another output path, delete [part-000001-0000.csv] and the marker; or move the output away and start "
        + "the query with a new checkpoint location"), message);
    assertEquals(before, contents(a));

    Files.delete(marker);
    SinkManifest.begin(a, 1, "another-query", List.of("part-000001-0000.csv"));
    before = contents(a);
    StreamingQueryException other = assertThrows(StreamingQueryException.class,
        writes.start(a)::processAllAvailable);
    assertEquals(lost + "; the intent marker " + marker + " beside it is of another query (id another-query) and "
        + "does not account for them. Restore the manifest from a backup, or move the output away and start the "
        + "query with a new checkpoint location", other.getCause().getMessage());
    assertEquals(before, contents(a));

    Files.write(marker, own);
    writes.run(a, 3);
    assertEquals(List.of("1", "3"), committedLines(a));
    assertEquals(List.of("0", "2"), manifestNames(a));
  }

  /** Every file under {@code root} and its bytes (as text), to tell that a refused start changed nothing. */
  private static java.util.Map<String, String> contents(Path root) throws IOException {
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return files;
  }

  /** The names in the manifest log's directory: entries and intent markers. */
  private static List<String> manifestNames(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out.resolve(SinkManifest.DIRECTORY))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> committedLines(Path out) throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    for (Path part : SinkManifest.committedFiles(out)) {
      lines.addAll(Files.readAllLines(part));
    }
    return lines;
  }

  @Test
  void newFilesOnlyIgnoresTheFilesOfTheFirstStartAndRefusesARestartThatLostWhenThatWas() throws Exception {
    drop("old.csv", "1,old");
    // Files written before the start count as older than it.
    in.resolve("old.csv").toFile().setLastModified(System.currentTimeMillis() - 60_000);
    stream("id BIGINT, name VARCHAR", "'format' = 'csv', 'newFilesOnly' = 'true'");
    StreamingQuery q = toMemory("SELECT * FROM s", "new_out");
    q.processAllAvailable();
    Path fresh = staging.resolve("new.csv");
    Files.writeString(fresh, "2,new\n");
    Files.move(fresh, in.resolve("new.csv"), StandardCopyOption.ATOMIC_MOVE);
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of(Row.of(2L, "new")), session.memoryTableRows("new_out"));

    Path started;
    try (var files = Files.walk(tmp.resolve("cp-new_out"))) {
      started = files.filter(p -> p.getFileName().toString().equals("started")).findFirst().orElseThrow();
    }
    Files.delete(started);
    StreamingQuery again = toMemory("SELECT * FROM s", "new_out");
    StreamingQueryException e = assertThrows(StreamingQueryException.class, again::processAllAvailable);
    assertTrue(e.getCause().getMessage().startsWith("Checkpoint file " + started + " is missing: it holds when the "
        + "query first started, which decides the files 'newFilesOnly' of 's' ignores, and the query has listed "
        + "files since"), e.getCause().getMessage());
    // The listing log lost too: refused for the log, and the refused start does not take now for the start time
    // (restoring the log alone from a backup would then have ignored the files that came since the first start).
    try (var files = Files.walk(started.resolveSibling("files"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    StreamingQuery lost = toMemory("SELECT * FROM s", "new_out");
    assertThrows(StreamingQueryException.class, lost::processAllAvailable);
    assertFalse(Files.exists(started), "a refused start wrote the start time");
  }

  @Test
  void csvSinkRollsPartFilesBySize() throws Exception {
    Path out = tmp.resolve("out");
    stream("`value` VARCHAR", "");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lines.add("line number " + i);
    }
    drop("a.txt", lines.toArray(String[]::new));
    StreamingQuery q = session.sql("SELECT `value`, CHAR_LENGTH(`value`) AS n FROM s").writeStream().format("file")
        .option("path", out.toString()).option("maxFileSize", "4096")
        .option("checkpointLocation", tmp.resolve("cp").toString()).start();
    q.processAllAvailable();
    q.stop();
    List<String> parts = partFiles(out);
    assertTrue(parts.size() >= 4, parts.toString());
    List<String> all = new ArrayList<>();
    for (String p : parts) {
      all.addAll(Files.readAllLines(out.resolve(p)));
      assertTrue(Files.size(out.resolve(p)) < 4096 + 100);
    }
    assertEquals(1000, all.size());
    assertEquals("line number 999,15", all.get(999));
  }

  @Test
  void badOptionsAreRefusedWhenTheStreamIsDeclared() {
    Exception mode = assertThrows(Exception.class, () -> stream("id BIGINT", "'format' = 'csv', 'mode' = 'LENIENT'"));
    assertTrue(mode.getMessage().contains("Option 'mode' of connector 'file' of 's' must be one of FAILFAST, "
        + "PERMISSIVE, DROPMALFORMED, got 'LENIENT'"), mode.getMessage());
    Exception columns = assertThrows(Exception.class, () -> session.sql("CREATE STREAM c WITH ('connector' = "
        + "'file', 'path' = '" + in + "', 'format' = 'csv')"));
    assertTrue(columns.getMessage().contains("declare"), columns.getMessage());
  }

  private static List<String> partFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-") && !n.contains("99"))
          .sorted().toList();
    }
  }
}
