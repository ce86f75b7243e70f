package io.freshet.exec.format;

import io.freshet.streaming.FreshetException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a malformed record does, by {@link FormatOptions#mode()}: FAILFAST throws an error naming where the record
 * is, what is wrong and how to go on; DROPMALFORMED counts it and leaves it out; PERMISSIVE counts it and keeps its
 * row (the fields that decoded, the others null) with the raw text in the corrupt-record column, if any.
 */
final class MalformedRecordPolicy {
  private final FormatOptions options;
  private final int corruptColumn;
  private long malformed;

  /** {@code corruptColumn} is the index of the corrupt-record column, or -1 when the schema has none. */
  MalformedRecordPolicy(FormatOptions options, int corruptColumn) {
    this.options = options;
    this.corruptColumn = corruptColumn;
  }

  /** Malformed records dropped or kept with nulls so far. */
  long malformed() {
    return malformed;
  }

  /**
   * Applies the mode to a malformed record ({@code len} bytes at {@code off}, or {@code bytes} null for a record
   * without a value) whose row is in {@code row}: throws (FAILFAST), or counts it and says whether to keep its row.
   */
  boolean keep(byte[] bytes, int off, int len, String error, RecordDecoder.Location location, RowBuffer row) {
    switch (options.mode()) {
      case FAILFAST -> throw FreshetException.user("Malformed " + options.format().name().toLowerCase(
          Locale.ROOT) + " record at " + location.describe() + ": " + error
          + (bytes == null ? "" : " in '" + preview(bytes, off, len) + "'")
          + ". Fix the input, or set 'mode' to PERMISSIVE (nulls and a _corrupt_record column) or "
          + "DROPMALFORMED (skip such records)");
      case DROPMALFORMED -> {
        malformed++;
        return false;
      }
      default -> {
        malformed++;
        if (corruptColumn >= 0 && bytes != null) {
          row.setString(corruptColumn, bytes, off, len);
        }
        return true;
      }
    }
  }

  /** The text of {@code len} bytes at {@code off} for a message: its first 200 bytes, "..." after more. */
  static String preview(byte[] bytes, int off, int len) {
    String s = new String(bytes, off, Math.min(len, 200), StandardCharsets.UTF_8);
    return len > 200 ? s + "..." : s;
  }
}
