package io.freshet.sources.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large file read as byte ranges at the same time: for every range size, from one byte (a range starts at every
 * byte of the file, so at every newline, inside every CRLF and every line) to the whole file, the ranges read one
 * after another give exactly the rows of the whole file, in its order.
 */
class FileRangesTest {
  private static final RowSchema COLUMNS = RowSchema.of(Column.of("id", TypeKind.BIGINT),
      Column.of("name", TypeKind.VARCHAR));

  @TempDir
  Path tmp;
  private BufferAllocator allocator;
  private int sources;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  private FileSource source(Path file, FormatOptions format, RowSchema schema, long splitBytes, boolean multiLine) {
    FileSourceProvider.Settings settings = new FileSourceProvider.Settings(file.toString(), format, schema, "off",
        null, new FileSource.Limits(Long.MAX_VALUE, Long.MAX_VALUE, false), true, false, splitBytes, multiLine, "");
    return new FileSource("t", settings, tmp.resolve("cp-" + sources++), allocator);
  }

  private static FormatOptions format(FormatOptions.Format format, boolean header, FormatOptions.Mode mode) {
    FormatOptions f = FormatOptions.defaults(format);
    return new FormatOptions(format, f.delimiter(), f.quote(), header, f.timestampFormat(), f.nullValue(), mode,
        f.corruptColumn());
  }

  private static List<Row> rows(Iterator<Batch> batches) {
    List<Row> rows = new ArrayList<>();
    while (batches.hasNext()) {
      try (Batch b = batches.next()) {
        rows.addAll(b.rows());
      }
    }
    return rows;
  }

  /** Lines of varied length, some ended by CRLF, some empty, the last one without a line break. */
  private static String lines(boolean header, String... records) {
    StringBuilder text = new StringBuilder(header ? "id,name\r\n" : "");
    for (int i = 0; i < records.length; i++) {
      text.append(records[i]).append(i % 3 == 1 ? "\r\n" : "\n");
      if (i % 4 == 2) {
        text.append(i % 8 == 2 ? "\n" : "\r\n");
      }
    }
    return text.substring(0, text.length() - 1);
  }

  private static String[] records(int count, boolean json) {
    String[] records = new String[count];
    for (int i = 0; i < count; i++) {
      String name = "n".repeat(i % 7) + i;
      records[i] = json ? "{\"id\": " + i + ", \"name\": \"" + name + "\"}" : i + "," + name;
    }
    return records;
  }

  private static List<Row> expected(int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(Row.of((long) i, "n".repeat(i % 7) + i));
    }
    return rows;
  }

  /**
   * Reads {@code file} whole and as ranges (of 1 byte, so that a range starts at every byte, and of a few other
   * sizes up to more than the file), checking each way gives {@code rows}.
   */
  private void everyRangeSizeGives(Path file, FormatOptions format, RowSchema schema, List<Row> rows)
      throws IOException {
    everyRangeSizeGives(file, format, schema, rows, false);
  }

  private void everyRangeSizeGives(Path file, FormatOptions format, RowSchema schema, List<Row> rows,
      boolean multiLine) throws IOException {
    long size = Files.size(file);
    List<Long> sizes = new ArrayList<>(List.of(size / 3, size / 2, size - 1, size, size + 1));
    for (long small = 1; small <= 13; small++) {
      sizes.add(small);
    }
    sizes.removeIf(bytes -> bytes < 1);
    for (long splitBytes : sizes) {
      FileSource source = source(file, format, schema, splitBytes, multiLine);
      Offset end = source.latestOffset();
      assertEquals(rows, rows(source.read(null, end)), "whole, " + format.format());
      List<Iterator<Batch>> splits = source.readSplits(null, end);
      assertEquals(Math.max(1, (size + splitBytes - 1) / splitBytes), splits.size(),
          "ranges of " + splitBytes + " bytes");
      List<Row> read = new ArrayList<>();
      for (Iterator<Batch> split : splits) {
        read.addAll(rows(split));
      }
      assertEquals(rows, read, format.format() + " in ranges of " + splitBytes + " bytes");
    }
  }

  @Test
  void csvWithAHeaderInRangesOfEverySize() throws IOException {
    Path file = Files.writeString(tmp.resolve("a.csv"), lines(true, records(40, false)));
    everyRangeSizeGives(file, format(FormatOptions.Format.CSV, true, FormatOptions.Mode.FAILFAST), COLUMNS,
        expected(40));
  }

  @Test
  void jsonLinesInRangesOfEverySize() throws IOException {
    Path file = Files.writeString(tmp.resolve("a.json"), lines(false, records(30, true)) + "\n");
    everyRangeSizeGives(file, format(FormatOptions.Format.JSON, false, FormatOptions.Mode.FAILFAST), COLUMNS,
        expected(30));
  }

  @Test
  void textKeepsItsEmptyLinesInRangesOfEverySize() throws IOException {
    String text = lines(false, "alpha", "b", "", "gamma gamma", "d", "", "", "eps");
    Path file = Files.writeString(tmp.resolve("a.txt"), text);
    List<Row> rows = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      rows.add(Row.of(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
    }
    everyRangeSizeGives(file, format(FormatOptions.Format.TEXT, false, FormatOptions.Mode.FAILFAST),
        FormatOptions.TEXT_SCHEMA, rows);
  }

  @Test
  void aMalformedRecordInALaterRangeIsNamedByFileLineAndByte() throws IOException {
    String[] records = records(20, false);
    records[13] = "thirteen,x";
    String text = String.join("\n", records) + "\n";
    Path file = Files.writeString(tmp.resolve("bad.csv"), text);
    FileSource source = source(file, format(FormatOptions.Format.CSV, false, FormatOptions.Mode.FAILFAST), COLUMNS,
        16, false);
    Offset end = source.latestOffset();
    List<Iterator<Batch>> splits = source.readSplits(null, end);
    assertTrue(splits.size() > 3);
    FreshetException e = assertThrows(FreshetException.class, () -> splits.forEach(FileRangesTest::rows));
    assertTrue(e.getMessage().contains("file " + file + ", line 14 (byte " + text.indexOf("thirteen") + ")"),
        e.getMessage());
  }

  @Test
  void aGzipFileIsReadWhole() throws IOException {
    Path gzip = tmp.resolve("a.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      out.write(lines(true, records(25, false)).getBytes(StandardCharsets.UTF_8));
    }
    FileSource source = source(gzip, format(FormatOptions.Format.CSV, true, FormatOptions.Mode.FAILFAST), COLUMNS,
        1, false);
    List<Iterator<Batch>> splits = source.readSplits(null, source.latestOffset());
    assertEquals(1, splits.size());
    assertEquals(expected(25), rows(splits.get(0)));
  }

  @Test
  void csvWhoseQuotedFieldsHoldLineBreaksInRangesOfEverySize() throws IOException {
    StringBuilder text = new StringBuilder("id,name\r\n");
    List<Row> rows = new ArrayList<>();
    for (int block = 0; block < 3; block++) {
      long id = 10L * block;
      text.append(id + 1).append(",\"two\nlines\"\n")
          .append(id + 2).append(",\"three\n\nmore \"\"quoted\"\"\r\nlines\"\n")
          .append(id + 3).append(",plain 5'10\"\n\n")
          .append(id + 4).append(",\"a,b\"\r\n")
          .append(id + 5).append(",\"\"\n")
          .append(id + 6).append(",\"x\n7,y\n8,\"\"z\"\n")
          .append(id + 9).append(",\"ends\"\n");
      rows.addAll(List.of(Row.of(id + 1, "two\nlines"), Row.of(id + 2, "three\n\nmore \"quoted\"\nlines"),
          Row.of(id + 3, "plain 5'10\""), Row.of(id + 4, "a,b"), Row.of(id + 5, ""), Row.of(id + 6, "x\n7,y\n8,\"z"),
          Row.of(id + 9, "ends")));
    }
    text.append("99,last");
    rows.add(Row.of(99L, "last"));
    Path file = Files.writeString(tmp.resolve("quoted.csv"), text);
    everyRangeSizeGives(file, format(FormatOptions.Format.CSV, true, FormatOptions.Mode.FAILFAST), COLUMNS, rows,
        true);
  }

  @Test
  void aRangeNotReadStopsTheRangesAfterItThatWaitForIt() throws IOException {
    Path file = Files.writeString(tmp.resolve("a.csv"), lines(false, records(40, false)));
    FileSource source = source(file, format(FormatOptions.Format.CSV, false, FormatOptions.Mode.FAILFAST), COLUMNS,
        50, true);
    List<Iterator<Batch>> splits = source.readSplits(null, source.latestOffset());
    // As after a failure: the engine closes the ranges nobody took, unread.
    ((io.freshet.exec.batch.BatchIterator) splits.get(1)).close();
    List<Row> first = rows(splits.get(0));
    assertEquals(expected(40).subList(0, first.size()), first);
    FreshetException e = assertThrows(FreshetException.class, () -> rows(splits.get(2)));
    assertTrue(e.getMessage().contains("Range 2 of " + file + " could not be read"), e.getMessage());
  }

  @Test
  void aSplitFileGoneAfterItWasListedSaysSoInEveryRange() throws IOException {
    for (boolean multiLine : new boolean[] {true, false}) {
      Path file = Files.writeString(tmp.resolve("gone.csv"), lines(false, records(40, false)));
      FileSource source = source(file, format(FormatOptions.Format.CSV, false, FormatOptions.Mode.FAILFAST),
          COLUMNS, 100, multiLine);
      List<Iterator<Batch>> splits = source.readSplits(null, source.latestOffset());
      Files.delete(file);
      for (Iterator<Batch> split : splits) {
        FreshetException e = assertThrows(FreshetException.class, () -> rows(split));
        assertTrue(e.getMessage().contains("File " + file + " of 't' was listed for this batch but is gone"),
            "multiLine " + multiLine + ": " + e.getMessage());
      }
    }
  }

  @Test
  void multiByteCharactersCutByRangeBoundariesAreReadWhole() throws IOException {
    StringBuilder text = new StringBuilder();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String name = "\u00fc\u20ac".repeat(i % 3) + "\ud83d\ude00" + (i % 4 == 1 ? "\n\u00e9" : "") + i;
      text.append(i).append(',').append(name.contains("\n") ? "\"" + name + "\"" : name)
          .append(i % 2 == 0 ? "\r\n" : "\n");
      rows.add(Row.of((long) i, name));
    }
    Path file = Files.writeString(tmp.resolve("utf8.csv"), text);
    everyRangeSizeGives(file, format(FormatOptions.Format.CSV, false, FormatOptions.Mode.FAILFAST), COLUMNS, rows,
        true);
  }

  @Test
  void aHeaderOnlyFileAndAnEmptyFileGiveNoRowsInRangesOfEverySize() throws IOException {
    for (boolean multiLine : new boolean[] {true, false}) {
      for (String text : new String[] {"\"id\",\"name\"\r\n", "id,name", ""}) {
        Path file = Files.writeString(tmp.resolve("h.csv"), text);
        everyRangeSizeGives(file, format(FormatOptions.Format.CSV, true, FormatOptions.Mode.FAILFAST), COLUMNS,
            List.of(), multiLine);
      }
    }
  }

  /**
   * As many ranges as a file may have (65 536, 'maxSplitBytes' at 1 byte): a range holds no buffers before it is
   * read nor after, so that the splits of a batch fit in the test's 1 GB heap.
   */
  @Test
  void theMostRangesOfAFileAreReadWithoutHoldingABufferEach() throws IOException {
    String[] records = records(8000, false);
    Path file = Files.writeString(tmp.resolve("many.csv"), String.join("\n", records) + "\n");
    assertTrue(Files.size(file) > 1 << 16);
    FileSource source = source(file, format(FormatOptions.Format.CSV, false, FormatOptions.Mode.FAILFAST), COLUMNS,
        1, true);
    List<Iterator<Batch>> splits = source.readSplits(null, source.latestOffset());
    assertEquals(1 << 16, splits.size());
    List<Row> read = new ArrayList<>();
    for (Iterator<Batch> split : splits) {
      read.addAll(rows(split));
      ((io.freshet.exec.batch.BatchIterator) split).close();
    }
    assertEquals(expected(8000), read);
  }
}
