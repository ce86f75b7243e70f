package io.freshet.exec.format;

/**
 * Where CSV quoting leaves a line, as RFC 4180 (and Spark's and Flink's readers) read it: a quote opens a quoted
 * field only as the field's first character, a doubled quote inside it is one quote, and the next single quote
 * closes it. A quote anywhere else ({@code 5'10"}, {@code Bob "the" Smith}) is an ordinary character, so it can
 * never make the following lines part of the record.
 */
public final class CsvQuotes {
  private CsvQuotes() {
  }

  /**
   * Whether the {@code len} bytes at {@code off} end inside a quoted field, so that the record goes on with the next
   * line; {@code inside} says whether the line itself begins inside one (it continues a record).
   */
  public static boolean endsInQuotedField(byte[] b, int off, int len, byte delimiter, byte quote, boolean inside) {
    boolean quoted = inside;
    boolean fieldStart = !inside;
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (quoted) {
        if (c == quote) {
          if (i + 1 < end && b[i + 1] == quote) {
            i++;
          } else {
            quoted = false;
          }
        }
      } else {
        quoted = c == quote && fieldStart;
        fieldStart = c == delimiter;
      }
    }
    return quoted;
  }
}
