package io.freshet.shell;

import io.freshet.exec.batch.Values;
import io.freshet.streaming.Row;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints rows as they arrive, in {@code table} form (a bordered table whose columns are as wide as their widest
 * value so far: a number is never cut, a query's text longer than {@value #MAX_TEXT} characters is, with "...";
 * when a later row needs a wider column the header is printed again at the new widths) or in {@code csv} form
 * (one line per row, no header). Numbers are written as {@link Values#display} writes them.
 */
final class RowPrinter {
  /** Text cells are cut to this many characters in a table. */
  static final int MAX_TEXT = 60;

  private final PrintStream out;
  private final boolean csv;
  private final boolean cutText;
  private final List<String> columns;
  private final int[] widths;
  private boolean headerPrinted;
  private long rows;

  /** A printer of query rows ({@code cutText}: long text is cut) or of the shell's own tables (it is not). */
  RowPrinter(PrintStream out, boolean csv, boolean cutText, List<String> columns) {
    this.out = out;
    this.csv = csv;
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
    if (csv) {
      batch.forEach(r -> sb.append(csv(r)).append('\n'));
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

  /** Ends the table: its bottom border and how many rows it had (nothing in csv form). */
  void finish() {
    if (csv) {
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

  /** A whole result at once, as a table with its row count, or as CSV lines. */
  static void printAll(PrintStream out, boolean csv, boolean cutText, List<String> columns, List<Row> rows) {
    RowPrinter printer = new RowPrinter(out, csv, cutText, columns);
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
      boolean number = row.get(c) instanceof Number;
      sb.append(' ').append(number ? pad + cells[c] : cells[c] + pad).append(" |");
    }
    sb.append('\n');
  }

  private String[] cells(Row row) {
    String[] cells = new String[widths.length];
    for (int c = 0; c < cells.length; c++) {
      Object value = row.get(c);
      String text = Values.display(value);
      if (cutText && value instanceof String && text.length() > MAX_TEXT) {
        text = text.substring(0, MAX_TEXT - 3) + "...";
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
      String text = Values.display(v);
      if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
        sb.append('"').append(text.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(text);
      }
    }
    return sb.toString();
  }
}
