package io.freshet.exec.batch;

import io.freshet.streaming.Row;
import java.util.List;

/** Text form of results: Spark's bordered table, as the console sink and {@code Dataset.show()} print it. */
public final class TableText {
  private static final int TRUNCATE = 20;

  private TableText() { }

  /** A bordered table; with {@code truncate}, cells are cut to 20 characters and right-aligned (as Spark). */
  public static String format(List<String> columns, List<Row> rows, boolean truncate) {
    int n = columns.size();
    String[][] cells = new String[rows.size() + 1][n];
    int[] widths = new int[n];
    for (int c = 0; c < n; c++) {
      cells[0][c] = columns.get(c);
    }
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < n; c++) {
        String text = Values.format(rows.get(r).get(c));
        if (truncate && text.length() > TRUNCATE) {
          text = text.substring(0, TRUNCATE - 3) + "...";
        }
        cells[r + 1][c] = text;
      }
    }
    for (String[] line : cells) {
      for (int c = 0; c < n; c++) {
        widths[c] = Math.max(Math.max(widths[c], line[c].length()), 3);
      }
    }
    StringBuilder border = new StringBuilder("+");
    for (int w : widths) {
      border.append("-".repeat(w)).append('+');
    }
    StringBuilder sb = new StringBuilder().append(border).append('\n');
    for (int r = 0; r < cells.length; r++) {
      sb.append('|');
      for (int c = 0; c < n; c++) {
        String pad = " ".repeat(widths[c] - cells[r][c].length());
        sb.append(truncate ? pad + cells[r][c] : cells[r][c] + pad).append('|');
      }
      sb.append('\n');
      if (r == 0) {
        sb.append(border).append('\n');
      }
    }
    return sb.append(border).append('\n').toString();
  }
}
