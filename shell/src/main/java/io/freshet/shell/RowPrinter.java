package io.freshet.shell;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.freshet.exec.batch.Values;
import io.freshet.streaming.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Prints rows as they arrive, in {@code table} form (a bordered table whose columns are as wide as their widest
 * value so far: a number is never cut, a query's text longer than {@value Cells#MAX_TEXT} characters is, with
 * "..."; when a later row needs a wider column the header is printed again at the new widths), in {@code csv} form
 * (one line per row, no header) or in {@code json} form (one JSON object per line, keyed by column name). Numbers
 * are written as {@link Values#display} writes them.
 */
final class RowPrinter {
  /** How results are printed: {@code -o table|csv|json}. */
  enum Format {
    TABLE, CSV, JSON;

    /** The format named {@code name} (table, csv or json), or an error that lists them. */
    static Format named(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("-o takes table, csv or json, not '" + name + "'");
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final PrintStream out;
  private final Format format;
  private final boolean cutText;
  private final List<String> columns;
  private final int[] widths;
  private boolean headerPrinted;
  private long rows;

  /** A printer of query rows ({@code cutText}: long text is cut) or of the shell's own tables (it is not). */
  RowPrinter(PrintStream out, Format format, boolean cutText, List<String> columns) {
    this.out = out;
    this.format = format;
    this.cutText = cutText;
    this.columns = columns;
    this.widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).length();
    }
  }

  /** Prints these rows (the first ones with the header). */
  void print(List<Row> batch) {
    if (batch.isEmpty()) {
      return;
    }
    rows += batch.size();
    StringBuilder sb = new StringBuilder();
    if (format == Format.CSV) {
      batch.forEach(r -> sb.append(csv(r)).append('\n'));
    } else if (format == Format.JSON) {
      batch.forEach(r -> sb.append(json(columns, r)).append('\n'));
    } else {
      String[][] cells = new String[batch.size()][];
      boolean wider = false;
      for (int r = 0; r < cells.length; r++) {
        cells[r] = cells(batch.get(r));
        for (int c = 0; c < widths.length; c++) {
          if (cells[r][c].length() > widths[c]) {
            widths[c] = cells[r][c].length();
            wider = true;
          }
        }
      }
      if (!headerPrinted || wider) {
        header(sb);
      }
      for (int r = 0; r < cells.length; r++) {
        line(sb, cells[r], batch.get(r));
      }
    }
    out.print(sb);
    out.flush();
  }

  /** Ends the table: its bottom border and how many rows it had (nothing in csv or json form). */
  void finish() {
    if (format != Format.TABLE) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    if (!headerPrinted) {
      header(sb);
    }
    border(sb);
    sb.append(rows).append(rows == 1 ? " row" : " rows").append('\n');
    out.print(sb);
    out.flush();
  }

  /** How many rows were printed. */
  long rows() {
    return rows;
  }

  /** A whole result at once, as a table with its row count, or as CSV or JSON lines. */
  static void printAll(PrintStream out, Format format, boolean cutText, List<String> columns, List<Row> rows) {
    RowPrinter printer = new RowPrinter(out, format, cutText, columns);
    printer.print(rows);
    printer.finish();
  }

  private void header(StringBuilder sb) {
    if (headerPrinted) {
      // The columns grew: the rows above were narrower.
      border(sb);
    }
    headerPrinted = true;
    border(sb);
    sb.append('|');
    for (int c = 0; c < widths.length; c++) {
      sb.append(' ').append(columns.get(c)).append(" ".repeat(widths[c] - columns.get(c).length())).append(" |");
    }
    sb.append('\n');
    border(sb);
  }

  private void border(StringBuilder sb) {
    sb.append('+');
    for (int w : widths) {
      sb.append("-".repeat(w + 2)).append('+');
    }
    sb.append('\n');
  }

  private void line(StringBuilder sb, String[] cells, Row row) {
    sb.append('|');
    for (int c = 0; c < cells.length; c++) {
      String pad = " ".repeat(widths[c] - cells[c].length());
      boolean number = Cells.isNumber(row.get(c));
      sb.append(' ').append(number ? pad + cells[c] : cells[c] + pad).append(" |");
    }
    sb.append('\n');
  }

  private String[] cells(Row row) {
    String[] cells = new String[widths.length];
    for (int c = 0; c < cells.length; c++) {
      Object value = row.get(c);
      String text = Cells.text(value);
      if (Cells.mayCut(value)) {
        text = Cells.oneLine(text);
        if (cutText) {
          text = Cells.cut(text, Cells.MAX_TEXT);
        }
      }
      cells[c] = text;
    }
    return cells;
  }

  /** One CSV line: fields quoted when they hold a comma, quote or line break; NULL is empty. */
  private static String csv(Row row) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < row.size(); c++) {
      if (c > 0) {
        sb.append(',');
      }
      Object v = row.get(c);
      if (v == null) {
        continue;
      }
      String text = Cells.text(v);
      if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
        sb.append('"').append(text.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(text);
      }
    }
    return sb.toString();
  }

  /**
   * One JSON object: the columns' names as keys, in order; numbers and booleans as JSON numbers and booleans (a
   * double as SQL shows it, so 0.1 + 0.2 is 0.3; NaN and infinities, which JSON has no numbers for, as strings),
   * NULL as null, everything else (text, timestamps) as strings.
   */
  static String json(List<String> columns, Row row) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      for (int c = 0; c < columns.size(); c++) {
        json.writeFieldName(columns.get(c));
        Object v = row.get(c);
        if (v == null) {
          json.writeNull();
        } else if (v instanceof Boolean b) {
          json.writeBoolean(b);
        } else if (v instanceof Double || v instanceof Float) {
          double d = ((Number) v).doubleValue();
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            json.writeString(Cells.text(v));
          } else {
            json.writeNumber(Values.display(v));
          }
        } else if (v instanceof BigDecimal d) {
          json.writeNumber(d.toPlainString());
        } else if (v instanceof Number n) {
          json.writeNumber(n.toString());
        } else {
          json.writeString(Cells.text(v));
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
