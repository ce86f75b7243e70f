package io.freshet.exec.plan;

/**
 * Plans as text that fits a terminal: a line longer than the width is broken after a comma (or a space) before the
 * width, and goes on indented four spaces deeper than the line it belongs to, so the tree's shape stays visible.
 */
public final class PlanText {
  /** The width EXPLAIN fits, a common terminal's. */
  public static final int WIDTH = 120;

  private PlanText() {
  }

  /** {@code text} with each line longer than {@code width} broken as the class says. */
  public static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') {
        indent++;
      }
      String continuation = " ".repeat(indent + 4);
      String rest = line;
      boolean first = true;
      while (rest.length() > width) {
        int cut = breakBefore(rest, width, (first ? indent : continuation.length()) + 10);
        if (cut < 0) {
          break;
        }
        out.append(rest, 0, cut).append('\n');
        rest = continuation + rest.substring(cut).stripLeading();
        first = false;
      }
      out.append(rest).append('\n');
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }

  /** Where to break {@code line} to fit {@code width}: after its last comma, else space, past {@code least}; -1. */
  private static int breakBefore(String line, int width, int least) {
    int comma = line.lastIndexOf(", ", width - 1);
    if (comma >= least) {
      return comma + 1;
    }
    int space = line.lastIndexOf(' ', width);
    return space >= least ? space : -1;
  }
}
