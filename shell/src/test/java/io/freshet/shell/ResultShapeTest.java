package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.streaming.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows a live table holds after changes, the widths of its columns, and JSON and table output. */
class ResultShapeTest {

  @Test
  void changesKeepEachRowInItsPlaceEvenWhenTheUpdatesOfSeveralRowsInterleave() {
    ResultTable table = new ResultTable();
    table.applyChanges(List.of(Row.of("+I", "a", 1L), Row.of("+I", "b", 1L), Row.of("+I", "c", 1L)));
    table.applyChanges(List.of(Row.of("-U", "a", 1L), Row.of("-U", "b", 1L), Row.of("+U", "a", 2L),
        Row.of("+U", "b", 2L), Row.of("-D", "c", 1L), Row.of("+I", "d", 1L)));
    assertEquals(List.of(Row.of("a", 2L), Row.of("b", 2L), Row.of("d", 1L)), table.first(10));
    assertEquals(3, table.size());
    assertEquals(List.of(Row.of("a", 2L)), table.first(1));
    // Many changes later, still one row per key, in place.
    for (long n = 2; n < 200; n++) {
      table.applyChanges(List.of(Row.of("-U", "b", n), Row.of("+U", "b", n + 1)));
    }
    assertEquals(List.of(Row.of("a", 2L), Row.of("b", 200L), Row.of("d", 1L)), table.first(10));
    table.replaceAll(List.of(Row.of("z", 9L)));
    assertEquals(List.of(Row.of("z", 9L)), table.first(10));
  }

  @Test
  void textGivesWayToFitTheTerminalNumbersNever() {
    // | 80 chars of text | a 19-digit number |: 1 + (80 + 3) + (19 + 3) = 106 characters.
    int[] widths = Cells.fit(new int[] {80, 19}, new boolean[] {true, false}, 60);
    assertArrayEquals(new int[] {34, 19}, widths);
    // Text stops at its least width; the table is then wider than asked.
    assertArrayEquals(new int[] {Cells.MIN_TEXT, 19}, Cells.fit(new int[] {80, 19}, new boolean[] {true, false}, 20));
    assertEquals("abcdefg...", Cells.cut("abcdefghijklmnop", 10));
    assertEquals("1.50", Cells.text(new BigDecimal("1.50")));
    assertEquals("0.3", Cells.text(0.1 + 0.2));
  }

  @Test
  void jsonHasOneObjectPerRowKeyedByColumn() {
    String line = RowPrinter.json(List.of("id", "name", "price", "ratio", "at", "ok", "missing", "nan"),
        Row.of(7L, "a \"b\"", new BigDecimal("1.50"), 0.1 + 0.2, LocalDateTime.of(2026, 1, 1, 0, 0, 0, 5_000_000),
            true, null, Double.NaN));
    assertEquals("{\"id\":7,\"name\":\"a \\\"b\\\"\",\"price\":1.50,\"ratio\":0.3,\"at\":\"2026-01-01 00:00:00.005\","
        + "\"ok\":true,\"missing\":null,\"nan\":\"NaN\"}", line);
  }

  @Test
  void aWideValueWidensItsColumnAndLongTextIsCut() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String longText = "x".repeat(70);
    RowPrinter.printAll(out, RowPrinter.Format.TABLE, true, List.of("n", "t"),
        List.of(Row.of(123456789012L, "short"), Row.of(1L, longText)));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertEquals("""
        +--------------+--------------------------------------------------------------+
        | n            | t                                                            |
        +--------------+--------------------------------------------------------------+
        | 123456789012 | short                                                        |
        |            1 | %s... |
        +--------------+--------------------------------------------------------------+
        2 rows
        """.formatted("x".repeat(57)), table);
  }
}
