package io.freshet.shell;

import io.freshet.exec.batch.TableText;
import io.freshet.exec.batch.Values;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.Row;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints rows as they arrive: in {@code table} form, a header once and then one fixed-width line per row (long
 * values cut with "..."); in {@code csv} form, one CSV line per row with no header.
 */
final class RowPrinter {
  private final PrintStream out;
  private final boolean csv;
  private final RowSchema schema;
  private final int[] widths;
  private boolean headerPrinted;

  RowPrinter(PrintStream out, boolean csv, RowSchema schema) {
    this.out = out;
    this.csv = csv;
    this.schema = schema;
    this.widths = new int[schema.size()];
    for (int i = 0; i < widths.length; i++) {
      int typeWidth = switch (schema.type(i)) {
        case BOOLEAN -> 5;
        case INT -> 11;
        case BIGINT, DOUBLE -> 12;
        case VARCHAR -> 20;
        case TIMESTAMP -> 23;
      };
      widths[i] = Math.max(schema.column(i).name().length(), typeWidth);
    }
  }

  void print(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    if (csv) {
      rows.forEach(r -> sb.append(TableText.csv(r)).append('\n'));
    } else {
      if (!headerPrinted) {
        headerPrinted = true;
        sb.append(border()).append(line(schema.names().toArray())).append(border());
      }
      for (Row r : rows) {
        Object[] cells = new Object[r.size()];
        for (int i = 0; i < cells.length; i++) {
          cells[i] = Values.format(r.get(i));
        }
        sb.append(line(cells));
      }
    }
    out.print(sb);
    out.flush();
  }

  private String border() {
    StringBuilder sb = new StringBuilder("+");
    for (int w : widths) {
      sb.append("-".repeat(w + 2)).append('+');
    }
    return sb.append('\n').toString();
  }

  private String line(Object[] cells) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      String text = String.valueOf(cells[i]);
      if (text.length() > widths[i]) {
        text = text.substring(0, widths[i] - 3) + "...";
      }
      boolean number = schema.type(i).isNumeric();
      String pad = " ".repeat(widths[i] - text.length());
      sb.append(' ').append(number ? pad + text : text + pad).append(" |");
    }
    return sb.append('\n').toString();
  }

  /** A whole result at once: Spark's bordered table, or CSV lines. */
  static void printAll(PrintStream out, boolean csv, List<String> columns, List<Row> rows) {
    if (csv) {
      StringBuilder sb = new StringBuilder();
      rows.forEach(r -> sb.append(TableText.csv(r)).append('\n'));
      out.print(sb);
    } else {
      out.print(TableText.format(columns, rows, false));
      out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
    }
    out.flush();
  }
}
