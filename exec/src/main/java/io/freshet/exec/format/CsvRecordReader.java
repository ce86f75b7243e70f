package io.freshet.exec.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits one CSV record into its fields and parses each into its column of a {@link RowBuffer}. A quote opens a
 * quoted field only as the field's first byte (RFC 4180, as {@link CsvQuotes} reads lines); a doubled quote in it
 * is one quote. An unquoted field equal to the null value is NULL. A trailing carriage return is not part of the
 * record. The record is malformed when a quote is not closed, text follows a closing quote, a field does not parse,
 * or the number of fields is not the number of columns.
 */
final class CsvRecordReader {
  private final byte delimiter;
  private final byte quote;
  private final byte[] nullValue;
  private final int[] dataColumns;
  private final TextValueParser parser;
  /** Whether the last record read ended inside a quoted field (its last field opened a quote it did not close). */
  private boolean unclosed;

  /** Field {@code i} of a record goes to column {@code dataColumns[i]}. */
  CsvRecordReader(FormatOptions options, int[] dataColumns, TextValueParser parser) {
    this.delimiter = options.delimiter();
    this.quote = options.quote();
    this.nullValue = options.nullValue().getBytes(StandardCharsets.UTF_8);
    this.dataColumns = dataColumns;
    this.parser = parser;
  }

  /** Whether the last record {@link #read} ended inside a quoted field. */
  boolean unclosed() {
    return unclosed;
  }

  /** Reads the {@code len} bytes at {@code off} into {@code row}; returns the first error, or null. */
  String read(byte[] b, int off, int len, RowBuffer row) {
    unclosed = false;
    int end = off + len;
    if (len > 0 && b[end - 1] == '\r') {
      end--;
    }
    String error = null;
    int field = 0;
    int p = off;
    while (true) {
      boolean quoted = false;
      int start = row.scratchLength();
      int rawStart = p;
      if (p < end && b[p] == quote) {
        quoted = true;
        p++;
        boolean closed = false;
        while (p < end) {
          if (b[p] == quote) {
            if (p + 1 < end && b[p + 1] == quote) {
              row.append(quote);
              p += 2;
              continue;
            }
            p++;
            closed = true;
            break;
          }
          row.append(b[p++]);
        }
        if (!closed) {
          unclosed = true;
          return "an unclosed quote in field " + (field + 1);
        }
        if (p < end && b[p] != delimiter) {
          return "text after the closing quote of field " + (field + 1);
        }
      } else {
        while (p < end && b[p] != delimiter) {
          p++;
        }
        row.append(b, rawStart, p - rawStart);
      }
      if (field < dataColumns.length) {
        int column = dataColumns[field];
        int length = row.scratchLength() - start;
        boolean isNull = !quoted && length == nullValue.length
            && Arrays.equals(row.scratch(), start, start + length, nullValue, 0, nullValue.length);
        if (!isNull) {
          String e = parser.parse(row, column, start, length);
          if (e != null && error == null) {
            error = e;
          }
        }
      }
      field++;
      if (p >= end) {
        break;
      }
      p++; // the delimiter
    }
    if (field != dataColumns.length && error == null) {
      error = field + " fields where " + dataColumns.length + " are declared";
    }
    return error;
  }
}
