package io.freshet.exec.format;

import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.streaming.FreshetException;
import java.util.List;

/**
 * How rows are written as text and read back: the format ({@code text}, {@code csv} or {@code json}, one record
 * per line), the CSV dialect, the timestamp pattern, and what a reader does with a malformed record
 * ({@code mode}, Spark's names). The option names and defaults are Spark's.
 */
public record FormatOptions(
    Format format,
    byte delimiter,
    byte quote,
    boolean header,
    TimestampFormat timestampFormat,
    String nullValue,
    Mode mode,
    String corruptColumn) {

  /** The text layouts of one record. */
  public enum Format { TEXT, CSV, JSON }

  /** What a reader does with a record it cannot decode. */
  public enum Mode {
    /** The query fails, naming where the record is. */
    FAILFAST,
    /** The fields that decode are kept, the others are null, and the raw text goes to the corrupt-record column. */
    PERMISSIVE,
    /** The record is left out. */
    DROPMALFORMED
  }

  public static final String DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss.SSS";

  /** The options a reader accepts (a writer ignores {@code mode} and {@code columnNameOfCorruptRecord}). */
  public static List<OptionSpec> readerOptions() {
    return List.of(
        OptionSpec.optional("delimiter", ",", "CSV field separator, one character"),
        OptionSpec.optional("quote", "\"", "CSV quote character; a quote inside a quoted field is doubled"),
        OptionSpec.optional("header", "false", "whether the first line of each CSV file names the columns"),
        OptionSpec.optional("timestampFormat", DEFAULT_TIMESTAMP_FORMAT,
            "pattern of timestamps in text (java.time pattern letters); zone-less text is UTC"),
        OptionSpec.optional("nullValue", "", "the text that stands for NULL in CSV"),
        OptionSpec.optional("mode", "PERMISSIVE", "malformed records: FAILFAST, PERMISSIVE or DROPMALFORMED"),
        OptionSpec.optional("columnNameOfCorruptRecord", "_corrupt_record",
            "the VARCHAR column that receives the raw text of a malformed record in PERMISSIVE mode, if declared"));
  }

  /** The options a writer accepts. */
  public static List<OptionSpec> writerOptions() {
    return readerOptions().subList(0, 5);
  }

  /** Reads the options; {@code defaultFormat} applies when {@code 'format'} is not given. */
  public static FormatOptions from(ConnectorOptions options, Format defaultFormat) {
    String formatName = options.has("format") ? options.getString("format") : defaultFormat.name();
    Format format;
    try {
      format = Format.valueOf(formatName.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw options.invalid("format", formatName, "one of text, csv, json");
    }
    String mode = options.has("mode") ? options.getString("mode").trim().toUpperCase(java.util.Locale.ROOT)
        : "PERMISSIVE";
    Mode parsedMode;
    try {
      parsedMode = Mode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw options.invalid("mode", options.getString("mode"), "one of FAILFAST, PERMISSIVE, DROPMALFORMED");
    }
    String pattern = options.getString("timestampFormat");
    TimestampFormat timestamps;
    try {
      timestamps = TimestampFormat.of(pattern);
    } catch (IllegalArgumentException e) {
      throw options.invalid("timestampFormat", pattern, "a java.time date-time pattern (" + e.getMessage() + ")");
    }
    return new FormatOptions(format, singleByte(options, "delimiter"), singleByte(options, "quote"),
        options.getBoolean("header"), timestamps, options.getString("nullValue"), parsedMode,
        options.has("columnNameOfCorruptRecord") ? options.getString("columnNameOfCorruptRecord") : "_corrupt_record");
  }

  private static byte singleByte(ConnectorOptions options, String name) {
    String v = options.getString(name);
    if ("\\t".equals(v)) {
      return '\t';
    }
    if (v == null || v.length() != 1 || v.charAt(0) > 127) {
      throw options.invalid(name, v, "a single ASCII character (or \\t)");
    }
    return (byte) v.charAt(0);
  }

  /**
   * The schema a text-decoding source reads: the declared columns, or {@code value VARCHAR} for the text format;
   * other formats need declared columns.
   */
  public io.freshet.exec.types.RowSchema schemaFor(io.freshet.exec.types.RowSchema declared, String connector) {
    if (declared != null) {
      return declared;
    }
    if (format == Format.TEXT) {
      return TEXT_SCHEMA;
    }
    throw FreshetException.user("A " + connector + " source in " + format.name().toLowerCase(java.util.Locale.ROOT)
        + " format needs its columns declared, e.g. CREATE STREAM t (a BIGINT, b VARCHAR) WITH (...)");
  }

  /** One {@code value} column: a line of text. */
  public static final io.freshet.exec.types.RowSchema TEXT_SCHEMA = io.freshet.exec.types.RowSchema.of(
      io.freshet.exec.types.Column.of("value", io.freshet.exec.types.TypeKind.VARCHAR));

  /** The schema a text-decoding source has without declared columns: {@link #TEXT_SCHEMA} for text, else none. */
  public static io.freshet.exec.types.RowSchema defaultSchema(ConnectorOptions options) {
    return from(options, Format.TEXT).format() == Format.TEXT ? TEXT_SCHEMA : null;
  }

  /** Defaults for tests and tools: CSV or JSON as Spark writes it, failing on malformed records. */
  public static FormatOptions defaults(Format format) {
    return new FormatOptions(format, (byte) ',', (byte) '"', false, TimestampFormat.of(DEFAULT_TIMESTAMP_FORMAT), "",
        Mode.FAILFAST, "_corrupt_record");
  }

  /** A failure to decode, with what was wrong; where it was is added by the caller. */
  static FreshetException malformed(String what) {
    return FreshetException.user(what);
  }
}
