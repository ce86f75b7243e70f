package io.freshet.shell;

import io.freshet.exec.batch.Values;
import java.math.BigDecimal;

/**
 * The text of one value in a table cell, and how wide a column may grow. A column is as wide as its widest value up
 * to a limit; text longer than the limit is cut with "...", a number never is (a DECIMAL keeps its scale: 1.50 stays
 * 1.50), nor is a timestamp or a boolean.
 */
final class Cells {
  /** The widest a text column grows by default, in characters. */
  static final int MAX_TEXT = 60;
  /** The narrowest a text column is cut to when a table must fit a terminal. */
  static final int MIN_TEXT = 12;

  private Cells() {
  }

  /** The value as SQL shows it: doubles as {@link Values#display}, decimals with their scale, NULL as {@code null}. */
  static String text(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return Values.display(value);
  }

  /** Whether a value is right-aligned and never cut. */
  static boolean isNumber(Object value) {
    return value instanceof Number;
  }

  /** Whether a value of this kind may be cut to fit: text only. */
  static boolean mayCut(Object value) {
    return value instanceof String;
  }

  /** {@code text} cut to {@code width} characters, ending with "...", when it is longer. */
  static String cut(String text, int width) {
    if (text.length() <= width) {
      return text;
    }
    return width <= 3 ? text.substring(0, width) : text.substring(0, width - 3) + "...";
  }

  /** A line break or tab in a value would break the table's lines: shown as a space. */
  static String oneLine(String text) {
    return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 && text.indexOf('\t') < 0 ? text
        : text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
  }

  /**
   * Column widths that fit {@code available} characters of a bordered table ({@code | a | b |}), from the widths
   * the values want: the widest columns that may be cut ({@code cuttable}) give up characters, down to
   * {@link #MIN_TEXT}, until the table fits or none can give more. A column that may not be cut keeps its width.
   */
  static int[] fit(int[] wanted, boolean[] cuttable, int available) {
    int[] widths = wanted.clone();
    int total = 1;
    for (int w : widths) {
      total += w + 3;
    }
    while (total > available) {
      int widest = -1;
      for (int c = 0; c < widths.length; c++) {
        if (cuttable[c] && widths[c] > MIN_TEXT && (widest < 0 || widths[c] > widths[widest])) {
          widest = c;
        }
      }
      if (widest < 0) {
        break;
      }
      widths[widest]--;
      total--;
    }
    return widths;
  }
}
