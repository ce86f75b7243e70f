package io.freshet.shell;

import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryProgress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * A streaming query's result as a table that changes in place on the terminal (the {@code table} result mode, as
 * Flink's SQL client's): one line per row of the result as it is now, redrawn as rows change, and under it a status
 * line with the last batch's id, the watermark and the input rate. Each drawing moves the cursor back up to the
 * table's first line and writes every line again over the last drawing (clearing what is left of each line, so that
 * a {@code ^C} the terminal echoed goes too). Columns are as wide as the widest value seen, and text gives way so
 * that the table fits the terminal's width (a line never wraps, so moving up by lines stays exact); rows that do not
 * fit its height are counted in the status line. The query's thread hands over rows; a thread of its own draws, at
 * most every {@value #REDRAW_MS} ms.
 */
final class LiveTable {
  private static final long REDRAW_MS = 100;
  private static final DateTimeFormatter WATERMARK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS",
      Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Terminal terminal;
  private final List<String> columns;
  private final boolean changes;
  private final ResultTable result = new ResultTable();
  private final int[] wanted;
  private final boolean[] cuttable;
  /** How many lines the last drawing wrote (the cursor is at the end of its last one). */
  private int drawn;
  private StreamingQuery query;
  private List<String> sources = List.of();
  private boolean dirty = true;
  private Thread drawer;

  /**
   * A table of {@code columns} on {@code terminal}. With {@code changes}, each row handed over starts with its kind
   * (+I, -U, +U, -D); otherwise each batch is the whole result (complete output mode).
   */
  LiveTable(Terminal terminal, List<String> columns, boolean changes) {
    this.terminal = terminal;
    this.columns = changes ? columns.subList(1, columns.size()) : columns;
    this.changes = changes;
    this.wanted = new int[this.columns.size()];
    this.cuttable = new boolean[wanted.length];
    for (int c = 0; c < wanted.length; c++) {
      wanted[c] = this.columns.get(c).length();
    }
  }

  /** Starts drawing, with the status of {@code running}. */
  void start(StreamingQuery running) {
    synchronized (this) {
      this.query = running;
    }
    drawer = new Thread(this::drawUntilInterrupted, "freshet-shell-table");
    drawer.setDaemon(true);
    drawer.start();
  }

  /** One batch's rows (the query's thread). */
  void accept(List<Row> batch) {
    synchronized (this) {
      if (changes) {
        result.applyChanges(batch);
      } else {
        result.replaceAll(batch);
      }
      dirty = true;
    }
  }

  /** What the query's sources are doing, shown in the status line. */
  synchronized void sources(List<String> states) {
    if (!states.equals(sources)) {
      sources = states;
      dirty = true;
    }
  }

  /** Stops drawing, draws the table a last time and leaves the cursor under it, after the row count. */
  void finish() {
    if (drawer != null) {
      drawer.interrupt();
      try {
        drawer.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      draw(true);
    }
  }

  private void drawUntilInterrupted() {
    long lastBatch = Long.MIN_VALUE;
    while (!Thread.currentThread().isInterrupted()) {
      synchronized (this) {
        StreamingQueryProgress progress = query.lastProgress();
        long batch = progress == null ? -1 : progress.batchId();
        if (dirty || batch != lastBatch) {
          draw(false);
          lastBatch = batch;
        }
      }
      try {
        Thread.sleep(REDRAW_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Draws the table as it is now; {@code last}: the final time, ending with the row count and a line break. */
  private void draw(boolean last) {
    dirty = false;
    Size size = terminal.getSize();
    int width = size.getColumns() > 0 ? size.getColumns() : 120;
    int height = size.getRows() > 0 ? size.getRows() : 40;
    // Header (3), bottom border, status line, and a line for the cursor.
    int room = Math.max(1, height - 6);
    List<Row> rows = result.first(room);
    List<String[]> cells = new ArrayList<>(rows.size());
    for (Row row : rows) {
      String[] line = new String[wanted.length];
      for (int c = 0; c < line.length; c++) {
        Object value = row.get(c);
        line[c] = Cells.mayCut(value) ? Cells.cut(Cells.oneLine(Cells.text(value)), Cells.MAX_TEXT)
            : Cells.text(value);
        wanted[c] = Math.max(wanted[c], line[c].length());
        cuttable[c] |= Cells.mayCut(value);
      }
      cells.add(line);
    }
    int[] widths = Cells.fit(wanted, cuttable, width - 1);
    List<AttributedString> lines = new ArrayList<>();
    lines.add(border(widths));
    String[] header = columns.toArray(new String[0]);
    lines.add(line(widths, header, null, AttributedStyle.BOLD));
    lines.add(border(widths));
    for (int r = 0; r < cells.size(); r++) {
      lines.add(line(widths, cells.get(r), rows.get(r), AttributedStyle.DEFAULT));
    }
    lines.add(border(widths));
    String status = last ? result.size() + (result.size() == 1 ? " row" : " rows") : status(rows.size());
    lines.add(new AttributedString(Cells.cut(status, width - 1),
        last ? AttributedStyle.DEFAULT : AttributedStyle.DEFAULT.faint()));
    StringBuilder out = new StringBuilder("\r");
    if (drawn > 1) {
      out.append("\u001b[").append(drawn - 1).append('A');
    }
    for (int i = 0; i < lines.size(); i++) {
      out.append(lines.get(i).toAnsi(terminal)).append("\u001b[K");
      if (i < lines.size() - 1) {
        out.append("\r\n");
      }
    }
    // Lines of a longer drawing before this one go.
    out.append("\u001b[J");
    if (last) {
      out.append("\r\n");
    }
    drawn = lines.size();
    terminal.writer().print(out);
    terminal.writer().flush();
  }

  /** The status line: batch, watermark, input rate, rows, what the sources do, and how to stop. */
  private String status(int shown) {
    StringBuilder sb = new StringBuilder();
    StreamingQueryProgress p = query.lastProgress();
    if (p == null) {
      sb.append("waiting for the first batch");
    } else {
      sb.append("batch ").append(p.batchId());
      Map<String, String> eventTime = p.eventTime();
      String watermark = eventTime == null ? null : eventTime.get("watermark");
      if (watermark != null) {
        sb.append(" | watermark ").append(WATERMARK.format(Instant.parse(watermark)));
      }
      sb.append(" | ").append(Math.round(p.inputRowsPerSecond())).append(" rows/s in");
    }
    sb.append(" | ").append(result.size()).append(result.size() == 1 ? " row" : " rows");
    if (shown < result.size()) {
      sb.append(" (").append(shown).append(" shown)");
    }
    for (String s : sources) {
      sb.append(" | ").append(s);
    }
    return sb.append(" | Ctrl-C stops").toString();
  }

  private static AttributedString border(int[] widths) {
    StringBuilder sb = new StringBuilder("+");
    for (int w : widths) {
      sb.append("-".repeat(w + 2)).append('+');
    }
    return new AttributedString(sb);
  }

  private static AttributedString line(int[] widths, String[] cells, Row row, AttributedStyle style) {
    StringBuilder sb = new StringBuilder("|");
    for (int c = 0; c < widths.length; c++) {
      String text = cells[c].length() > widths[c] ? Cells.cut(cells[c], widths[c]) : cells[c];
      String pad = " ".repeat(widths[c] - text.length());
      boolean number = row != null && Cells.isNumber(row.get(c));
      sb.append(' ').append(number ? pad + text : text + pad).append(" |");
    }
    return new AttributedString(sb, style);
  }
}
