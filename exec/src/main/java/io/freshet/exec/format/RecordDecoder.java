package io.freshet.exec.format;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Decodes records of text (one line of a file, one message) into Arrow batches of a declared schema. Each record
 * is split and parsed into primitive scratch arrays, then written into the vectors column by column; nothing is
 * boxed. A record that does not decode (a wrong number of CSV fields, a value that does not parse as its column's
 * type, JSON that is not an object) is malformed and handled by {@link FormatOptions#mode()}: FAILFAST throws an
 * error naming where the record is, DROPMALFORMED leaves it out, PERMISSIVE keeps the fields that decode (the
 * others null) and puts the raw text in the corrupt-record column when the schema declares one. Either of the
 * last two counts it in {@link #malformed()}.
 *
 * <p>This is the facade: it lays out the columns (decoded, external, corrupt-record) and picks the reader of the
 * format ({@link CsvRecordReader}, {@link JsonRecordReader}; text is the line itself); {@link TextValueParser}
 * parses field text by type, {@link MalformedRecordPolicy} applies the mode, {@link RowBuffer} holds the rows.
 */
public final class RecordDecoder implements AutoCloseable {

  /** Where the record being decoded came from, described only when an error needs it. */
  public interface Location {
    String describe();
  }

  private final RowSchema schema;
  private final FormatOptions options;
  private final int[] dataColumns;
  private final RowBuffer rows;
  private final MalformedRecordPolicy policy;
  private final CsvRecordReader csv;
  private final JsonRecordReader json;

  public RecordDecoder(RowSchema schema, FormatOptions options, BufferAllocator allocator, int batchRows) {
    this(schema, options, allocator, batchRows, Set.of());
  }

  /**
   * As above, with {@code external} columns that are not decoded from the record but set by the caller before
   * each {@link #decode} ({@link #external(int, long)}, {@link #externalString}), e.g. a Kafka record's topic.
   */
  public RecordDecoder(RowSchema schema, FormatOptions options, BufferAllocator allocator, int batchRows,
      Set<String> external) {
    this.schema = schema;
    this.options = options;
    int corrupt = schema.indexOf(options.corruptColumn());
    if (corrupt >= 0 && schema.type(corrupt) != TypeKind.VARCHAR) {
      throw FreshetException.user("The corrupt-record column '" + options.corruptColumn() + "' must be VARCHAR, "
          + "not " + schema.type(corrupt).sqlName());
    }
    boolean[] isExternal = new boolean[schema.size()];
    int externals = 0;
    for (int c = 0; c < schema.size(); c++) {
      if (c != corrupt && external.contains(schema.column(c).name())) {
        isExternal[c] = true;
        externals++;
      }
    }
    int[] data = new int[schema.size() - (corrupt >= 0 ? 1 : 0) - externals];
    for (int c = 0, k = 0; c < schema.size(); c++) {
      if (c != corrupt && !isExternal[c]) {
        data[k++] = c;
      }
    }
    this.dataColumns = data;
    if (options.format() == FormatOptions.Format.TEXT
        && (data.length != 1 || schema.type(data[0]) != TypeKind.VARCHAR)) {
      throw FreshetException.user("The text format reads each line into one VARCHAR column (e.g. value VARCHAR); "
          + "the declared columns are " + schema + ". Use format csv or json for several columns");
    }
    TextValueParser parser = new TextValueParser(schema, options.timestampFormat());
    this.csv = new CsvRecordReader(options, data, parser);
    this.json = new JsonRecordReader(schema, data, parser);
    this.policy = new MalformedRecordPolicy(options, corrupt);
    this.rows = new RowBuffer(schema, allocator, batchRows, isExternal);
  }

  /** Sets external column {@code column} of the next record to {@code value} (an integer or timestamp). */
  public void external(int column, long value) {
    rows.external(column, value);
  }

  /** Sets external VARCHAR column {@code column} of the next record to UTF-8 bytes, or NULL when null. */
  public void externalString(int column, byte[] value) {
    rows.externalString(column, value);
  }

  /**
   * Sets external column {@code column} of the next records to a boxed value of its type (as
   * {@link io.freshet.exec.batch.Values#get} gives), or NULL when null: e.g. a partition directory's value.
   */
  public void externalValue(int column, Object value) {
    if (value == null) {
      rows.externalNull(column);
      return;
    }
    switch (schema.type(column)) {
      case VARCHAR -> rows.externalString(column, value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      case DOUBLE -> rows.external(column, ((Number) value).doubleValue());
      case BOOLEAN -> rows.external(column, ((Boolean) value) ? 1L : 0L);
      case TIMESTAMP -> rows.external(column, io.freshet.exec.batch.Values.toEpochMillis(value));
      default -> rows.external(column, ((Number) value).longValue());
    }
  }

  public RowSchema schema() {
    return schema;
  }

  /** Rows decoded since the last {@link #flush}. */
  public int rowCount() {
    return rows.rowCount();
  }

  /** Whether the current batch is full and should be flushed. */
  public boolean isFull() {
    return rows.isFull();
  }

  /** Malformed records dropped or kept with nulls so far. */
  public long malformed() {
    return policy.malformed();
  }

  /**
   * Decodes {@code len} bytes at {@code off} (one record, without its line terminator); {@code bytes} null is a
   * record without a value (NULL in the text format, malformed in the others).
   */
  public void decode(byte[] bytes, int off, int len, Location location) {
    rows.startRecord();
    String error = bytes == null ? (options.format() == FormatOptions.Format.TEXT ? null : "no value (NULL)")
        : switch (options.format()) {
      case TEXT -> {
        rows.setString(dataColumns[0], bytes, off, len);
        yield null;
      }
      case CSV -> csv.read(bytes, off, len, rows);
      case JSON -> json.read(bytes, off, len, rows);
    };
    if (error == null || policy.keep(bytes, off, len, error, location, rows)) {
      rows.writeRow();
    }
  }

  /**
   * Decodes one line as a record, as {@link #decode} does, unless it is a CSV line whose last field opens a quote
   * that the line does not close: then nothing is decoded and it returns false, and the caller joins the next line
   * to it (a quoted field may hold line breaks). One pass over the line either way.
   */
  public boolean decodeLine(byte[] bytes, int off, int len, Location location) {
    if (options.format() != FormatOptions.Format.CSV) {
      decode(bytes, off, len, location);
      return true;
    }
    rows.startRecord();
    String error = csv.read(bytes, off, len, rows);
    // The reader stops at the first error, so a malformed line is scanned whole for a quote it leaves open.
    if (csv.unclosed() || error != null && CsvQuotes.endsInQuotedField(bytes, off, len, options.delimiter(),
        options.quote(), false)) {
      return false;
    }
    if (error == null || policy.keep(bytes, off, len, error, location, rows)) {
      rows.writeRow();
    }
    return true;
  }

  /**
   * A record of more than {@code limit} bytes, of which {@code len} at {@code off} were kept: malformed, handled
   * by the mode like any other (PERMISSIVE keeps the bytes kept in the corrupt-record column).
   */
  public void decodeTooLong(byte[] bytes, int off, int len, long limit, String option, Location location) {
    rows.startRecord();
    if (policy.keep(bytes, off, len, "a record longer than " + limit + " bytes (raise '" + option + "' to read "
        + "longer ones)", location, rows)) {
      rows.writeRow();
    }
  }

  /** The rows decoded since the last flush as a batch the caller owns, or null when there are none. */
  public Batch flush() {
    return rows.flush();
  }

  @Override
  public void close() {
    rows.close();
  }
}
