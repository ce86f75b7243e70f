package io.freshet.sql.parser;

import io.freshet.streaming.FreshetException;

/**
 * The line of a statement an error is on, with a caret line under the place, as psql and Flink's SQL client show
 * it:
 *
 * <pre>
 *   SELECT pricee FROM bid
 *          ^^^^^^
 * </pre>
 */
public final class Excerpt {
  private Excerpt() {
  }

  /**
   * The excerpt of {@code statement}, which starts at {@code line}:{@code column} of its script, for an error at
   * {@code position} (script lines and columns); null when the position is not in the statement.
   */
  public static String of(String statement, int line, int column, FreshetException.Position position) {
    String[] lines = statement.split("\n", -1);
    int at = position.line() - line;
    if (at < 0 || at >= lines.length) {
      return null;
    }
    int shift = at == 0 ? column - 1 : 0;
    int start = position.column() - 1 - shift;
    String text = lines[at].replace('\t', ' ');
    if (start < 0 || start > text.length()) {
      return null;
    }
    int end = position.endLine() == position.line() && position.endColumn() >= position.column()
        ? Math.min(text.length(), position.endColumn() - shift) : start + 1;
    return "  " + text.stripTrailing() + "\n  " + " ".repeat(start) + "^".repeat(Math.max(1, end - start));
  }
}
