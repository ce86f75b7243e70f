package io.freshet.exec.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Row;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timestamps and values as text: what is written reads back the same, edge values included. */
class TextFormatTest {
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  private static long ms(LocalDateTime t) {
    return t.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private static long parse(TimestampFormat f, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return f.parse(b, 0, b.length);
  }

  @Test
  void timestamps() {
    TimestampFormat standard = TimestampFormat.of(FormatOptions.DEFAULT_TIMESTAMP_FORMAT);
    assertEquals(ms(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_000_000)), parse(standard,
        "2024-02-29 23:59:59.123456"), "micro- and nanoseconds are cut to milliseconds");
    assertEquals(ms(LocalDateTime.of(1969, 12, 31, 0, 0)), parse(standard, "1969-12-31T00:00"));
    assertThrows(IllegalArgumentException.class, () -> parse(standard, "2023-02-29 00:00:00"));
    ByteSink out = new ByteSink();
    standard.format(ms(LocalDateTime.of(1900, 3, 1, 1, 2, 3, 4_000_000)), out);
    assertEquals("1900-03-01 01:02:03.004", new String(out.array(), 0, out.length(), StandardCharsets.UTF_8));

    TimestampFormat dateOnly = TimestampFormat.of("dd/MM/yyyy");
    assertEquals(ms(LocalDateTime.of(2026, 1, 31, 0, 0)), parse(dateOnly, "31/01/2026"), "a date is midnight");
  }

  @Test
  void extremeNumbersAndNonFiniteDoublesRoundTripThroughCsvAndJson() {
    RowSchema schema = RowSchema.of(Column.of("n", TypeKind.BIGINT), Column.of("d", TypeKind.DOUBLE));
    for (FormatOptions.Format format : List.of(FormatOptions.Format.CSV, FormatOptions.Format.JSON)) {
      FormatOptions options = FormatOptions.defaults(format);
      List<Row> rows = List.of(Row.of(Long.MIN_VALUE, Double.NaN), Row.of(Long.MAX_VALUE, Double.NEGATIVE_INFINITY),
          Row.of(0L, Double.POSITIVE_INFINITY));
      ByteSink text = new ByteSink();
      try (Batch batch = io.freshet.exec.batch.BatchBuilder.of(schema, allocator, rows)) {
        RecordEncoder encoder = new RecordEncoder(schema, options);
        for (int r = 0; r < batch.rowCount(); r++) {
          encoder.encode(batch, r, text);
        }
      }
      try (RecordDecoder decoder = new RecordDecoder(schema, options, allocator, 16)) {
        String all = new String(text.array(), 0, text.length(), StandardCharsets.UTF_8);
        for (String line : all.split("\n")) {
          byte[] b = line.getBytes(StandardCharsets.UTF_8);
          decoder.decode(b, 0, b.length, () -> "test");
        }
        try (Batch back = decoder.flush()) {
          assertEquals(rows, back.rows(), format + ": " + all);
        }
      }
    }
  }
}
