package io.freshet.sql.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.FreshetSession;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large files read as byte ranges by several partitions at once ({@code maxSplitBytes}, set to a few hundred bytes
 * here; CSV with quoted fields that hold line breaks): the same rows, in the same order, as reading each file whole,
 * with one and three partitions, with a restart after every batch and a batch run again after a crash, and the same
 * event-time answer.
 */
class FileSplitTest {
  private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 1, 0, 0);

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
  private Path drop(String name, byte[] content) throws IOException {
    Path file = Files.write(staging.resolve(name), content);
    file.toFile().setLastModified(1_700_000_000_000L + 1000L * fileNumber++);
    return Files.move(file, in.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Rows {@code from} to {@code from + count - 1}: id, a name of varied length (some with line breaks, quotes and
   * commas), an event time going back.
   */
  private static List<Row> rows(int from, int count) {
    List<Row> rows = new ArrayList<>();
    for (int id = from; id < from + count; id++) {
      String name = id % 7 == 3 ? "a \"quoted\"\nline, then\n\nmore " + id : "n".repeat(id % 9) + id;
      rows.add(Row.of((long) id, name, T0.plusSeconds(1000 - id)));
    }
    return rows;
  }

  /**
   * The rows as CSV (with a header; a name with a line break quoted) or JSON lines, some lines ended by CRLF, with
   * empty lines between some.
   */
  private static byte[] text(List<Row> rows, boolean json) {
    StringBuilder text = new StringBuilder(json ? "" : "id,name,ts\r\n");
    for (Row row : rows) {
      long id = (long) row.get(0);
      String name = (String) row.get(1);
      String ts = row.get(2).toString().replace('T', ' ');
      text.append(json ? "{\"id\": " + id + ", \"name\": \"" + name.replace("\"", "\\\"").replace("\n", "\\n")
          + "\", \"ts\": \"" + ts + "\"}"
          : id + "," + (name.contains("\n") ? "\"" + name.replace("\"", "\"\"") + "\"" : name) + "," + ts);
      text.append(id % 3 == 1 ? "\r\n" : "\n");
      if (id % 5 == 2) {
        text.append(id % 2 == 0 ? "\n" : "\r\n");
      }
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void stream(String format, String options) {
    session.sql("CREATE OR REPLACE STREAM s (id BIGINT, name VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'file', "
        + "'path' = '" + in + "', 'format' = '" + format + "', 'maxSplitBytes' = '100'"
        + (format.equals("csv") ? ", 'header' = 'true'" : "") + options + ")");
  }

  private StreamingQuery start(Path checkpoint, List<String> delivered) {
    return session.sql("SELECT * FROM s").writeStream()
        .foreachBatch((rows, id) -> delivered.add(id + ":" + rows.collectAsList()))
        .option("checkpointLocation", checkpoint.toString()).start();
  }

  @Test
  void csvInRangesGivesTheRowsOfTheWholeFilesInOneAndThreePartitionsAcrossRestarts() throws Exception {
    readWithARestartAfterEveryBatch("csv");
  }

  @Test
  void jsonLinesInRangesGivesTheRowsOfTheWholeFilesInOneAndThreePartitionsAcrossRestarts() throws Exception {
    readWithARestartAfterEveryBatch("json");
  }

  /**
   * Three files of some 2 KB (about 25 ranges each), one per batch, the query stopped after each and started again,
   * then the last batch run again as after a crash before its commit: each batch has exactly its file's rows, in
   * the file's order.
   */
  private void readWithARestartAfterEveryBatch(String format) throws Exception {
    for (int partitions : new int[] {1, 3}) {
      session.conf().set("parallelism", Integer.toString(partitions));
      try (var old = Files.list(in)) {
        old.forEach(p -> p.toFile().delete());
      }
      stream(format, ", 'maxFilesPerTrigger' = '1'");
      Path checkpoint = tmp.resolve("cp-" + format + "-" + partitions);
      List<String> delivered = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int file = 0; file < 3; file++) {
        List<Row> rows = rows(file * 60, 60);
        drop(format + partitions + "-" + file + "." + format, text(rows, format.equals("json")));
        expected.add(file + ":" + rows);
        StreamingQuery q = start(checkpoint, delivered);
        q.processAllAvailable();
        q.stop();
      }
      // As if the process died after the sink took batch 2 but before the commit log said so.
      Files.delete(checkpoint.resolve("commits").resolve("2"));
      expected.add(expected.get(2));
      StreamingQuery q = start(checkpoint, delivered);
      q.processAllAvailable();
      q.stop();
      assertEquals(expected, delivered, format + " in " + partitions + " partitions");
    }
  }

  @Test
  void laterRangesWithOlderEventTimesAreNotLate() {
    session.conf().set("parallelism", "3");
    try {
      // Event times go back through the file: each range is older than the one before it.
      drop("a.csv", text(rows(0, 200), false));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    session.sql("CREATE STREAM w (id BIGINT, name VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ("
        + "'connector' = 'file', 'path' = '" + in + "', 'format' = 'csv', 'header' = 'true', "
        + "'maxSplitBytes' = '100', 'bounded' = 'true')");
    List<Row> counts = session.sql("SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(ts), "
        + "INTERVAL '100' SECOND)) GROUP BY window_start, window_end").collectAsList();
    List<Row> sorted = new ArrayList<>(counts);
    sorted.sort(java.util.Comparator.comparing(r -> (LocalDateTime) r.get(0)));
    // ids 0..199 at 1000 - id seconds: windows from 800 s to 1000 s, 100 rows in [800, 900) etc.
    assertEquals(List.of(Row.of(T0.plusSeconds(800), 99L), Row.of(T0.plusSeconds(900), 100L),
        Row.of(T0.plusSeconds(1000), 1L)), sorted);
  }

  @Test
  void failFastInALaterRangeNamesTheFileTheLineAndTheByte() throws Exception {
    session.conf().set("parallelism", "3");
    String good = new String(text(rows(0, 40), false), StandardCharsets.UTF_8);
    String bad = good.replace("\n31,", "\nthirty-one,");
    Path file = drop("bad.csv", bad.getBytes(StandardCharsets.UTF_8));
    long line = bad.substring(0, bad.indexOf("thirty-one")).chars().filter(c -> c == '\n').count() + 1;
    stream("csv", ", 'mode' = 'FAILFAST'");
    List<String> delivered = new ArrayList<>();
    StreamingQuery q = start(tmp.resolve("cp"), delivered);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, q::awaitTermination);
    assertTrue(e.getMessage().contains("file " + file + ", line " + line + " (byte " + bad.indexOf("thirty-one")
        + "): column id needs a BIGINT, got 'thirty-one'"), e.getMessage());
    assertEquals(List.of(), delivered, "the failed batch wrote nothing");
  }

  @Test
  void aGzipFileIsReadWholeByOnePartition() throws Exception {
    session.conf().set("parallelism", "3");
    List<Row> rows = rows(0, 100);
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(zipped)) {
      out.write(text(rows, false));
    }
    drop("a.csv.gz", zipped.toByteArray());
    stream("csv", ", 'bounded' = 'true'");
    assertEquals(rows, session.sql("SELECT * FROM s").collectAsList());
  }
}
