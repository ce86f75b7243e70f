package io.freshet.exec.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Decodes records of text (one line of a file, one message) into Arrow batches of a declared schema. Each record
 * is split and parsed into primitive scratch arrays, then written into the vectors column by column; nothing is
 * boxed. A record that does not decode (a wrong number of CSV fields, a value that does not parse as its column's
 * type, JSON that is not an object) is malformed and handled by {@link FormatOptions#mode()}: FAILFAST throws an
 * error naming where the record is, DROPMALFORMED leaves it out, PERMISSIVE keeps the fields that decode (the
 * others null) and puts the raw text in the corrupt-record column when the schema declares one. Either of the
 * last two counts it in {@link #malformed()}.
 */
public final class RecordDecoder implements AutoCloseable {

  /** Where the record being decoded came from, described only when an error needs it. */
  public interface Location {
    String describe();
  }

  private final RowSchema schema;
  private final FormatOptions options;
  private final BufferAllocator allocator;
  private final int batchRows;
  private final int[] dataColumns;
  private final int corruptColumn;
  private final Map<String, Integer> jsonFields = new HashMap<>();
  private final byte[] nullValue;
  private final JsonFactory jsonFactory = Json.MAPPER.getFactory();

  private final boolean[] external;
  private final boolean[] externalNulls;
  private final long[] externalLongs;
  private final byte[][] externalBytes;
  private final long[] longs;
  private final double[] doubles;
  private final boolean[] nulls;
  private final int[] stringStart;
  private final int[] stringLength;
  private byte[] scratch = new byte[4096];
  private int scratchLength;

  private FieldVector[] vectors;
  private int rows;
  private long malformed;

  public RecordDecoder(RowSchema schema, FormatOptions options, BufferAllocator allocator, int batchRows) {
    this(schema, options, allocator, batchRows, java.util.Set.of());
  }

  /**
   * As above, with {@code external} columns that are not decoded from the record but set by the caller before
   * each {@link #decode} ({@link #external(int, long)}, {@link #externalString}), e.g. a Kafka record's topic.
   */
  public RecordDecoder(RowSchema schema, FormatOptions options, BufferAllocator allocator, int batchRows,
      java.util.Set<String> external) {
    this.schema = schema;
    this.options = options;
    this.allocator = allocator;
    this.batchRows = batchRows;
    this.nullValue = options.nullValue().getBytes(StandardCharsets.UTF_8);
    int corrupt = schema.indexOf(options.corruptColumn());
    if (corrupt >= 0 && schema.type(corrupt) != TypeKind.VARCHAR) {
      throw FreshetException.user("The corrupt-record column '" + options.corruptColumn() + "' must be VARCHAR, "
          + "not " + schema.type(corrupt).sqlName());
    }
    this.corruptColumn = corrupt;
    this.external = new boolean[schema.size()];
    int externals = 0;
    for (int c = 0; c < schema.size(); c++) {
      if (c != corrupt && external.contains(schema.column(c).name())) {
        this.external[c] = true;
        externals++;
      }
    }
    int[] data = new int[schema.size() - (corrupt >= 0 ? 1 : 0) - externals];
    for (int c = 0, k = 0; c < schema.size(); c++) {
      if (c != corrupt && !this.external[c]) {
        data[k++] = c;
        jsonFields.put(schema.column(c).name(), c);
        jsonFields.putIfAbsent(schema.column(c).name().toLowerCase(java.util.Locale.ROOT), c);
      }
    }
    this.dataColumns = data;
    if (options.format() == FormatOptions.Format.TEXT
        && (data.length != 1 || schema.type(data[0]) != TypeKind.VARCHAR)) {
      throw FreshetException.user("The text format reads each line into one VARCHAR column (e.g. value VARCHAR); "
          + "the declared columns are " + schema + ". Use format csv or json for several columns");
    }
    int n = schema.size();
    longs = new long[n];
    doubles = new double[n];
    nulls = new boolean[n];
    stringStart = new int[n];
    stringLength = new int[n];
    externalNulls = new boolean[n];
    externalLongs = new long[n];
    externalBytes = new byte[n][];
  }

  /** Sets external column {@code column} of the next record to {@code value} (an integer or timestamp). */
  public void external(int column, long value) {
    externalNulls[column] = false;
    externalLongs[column] = value;
  }

  /** Sets external VARCHAR column {@code column} of the next record to UTF-8 bytes, or NULL when null. */
  public void externalString(int column, byte[] value) {
    externalNulls[column] = value == null;
    externalBytes[column] = value;
  }

  public RowSchema schema() {
    return schema;
  }

  /** Rows decoded since the last {@link #flush}. */
  public int rowCount() {
    return rows;
  }

  /** Whether the current batch is full and should be flushed. */
  public boolean isFull() {
    return rows >= batchRows;
  }

  /** Malformed records dropped or kept with nulls so far. */
  public long malformed() {
    return malformed;
  }

  /**
   * Decodes {@code len} bytes at {@code off} (one record, without its line terminator); {@code bytes} null is a
   * record without a value (NULL in the text format, malformed in the others).
   */
  public void decode(byte[] bytes, int off, int len, Location location) {
    Arrays.fill(nulls, true);
    scratchLength = 0;
    String error = bytes == null ? (options.format() == FormatOptions.Format.TEXT ? null : "no value (NULL)")
        : switch (options.format()) {
      case TEXT -> {
        setString(dataColumns[0], bytes, off, len);
        yield null;
      }
      case CSV -> decodeCsv(bytes, off, len);
      case JSON -> decodeJson(bytes, off, len);
    };
    if (error == null || keepMalformed(bytes, off, len, error, location)) {
      writeRow();
    }
  }

  /**
   * A record of more than {@code limit} bytes, of which {@code len} at {@code off} were kept: malformed, handled
   * by the mode like any other (PERMISSIVE keeps the bytes kept in the corrupt-record column).
   */
  public void decodeTooLong(byte[] bytes, int off, int len, long limit, String option, Location location) {
    Arrays.fill(nulls, true);
    scratchLength = 0;
    if (keepMalformed(bytes, off, len, "a record longer than " + limit + " bytes (raise '" + option + "' to read "
        + "longer ones)", location)) {
      writeRow();
    }
  }

  /** Applies the mode to a malformed record: throws (FAILFAST), or counts it and says whether to keep its row. */
  private boolean keepMalformed(byte[] bytes, int off, int len, String error, Location location) {
    switch (options.mode()) {
      case FAILFAST -> throw FreshetException.user("Malformed " + options.format().name().toLowerCase(
          java.util.Locale.ROOT) + " record at " + location.describe() + ": " + error
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
          setString(corruptColumn, bytes, off, len);
        }
        return true;
      }
    }
  }

  private static String preview(byte[] bytes, int off, int len) {
    String s = new String(bytes, off, Math.min(len, 200), StandardCharsets.UTF_8);
    return len > 200 ? s + "..." : s;
  }

  // ---------------------------------------------------------------- CSV

  private String decodeCsv(byte[] b, int off, int len) {
    byte delimiter = options.delimiter();
    byte quote = options.quote();
    int end = off + len;
    if (len > 0 && b[end - 1] == '\r') {
      end--;
    }
    String error = null;
    int field = 0;
    int p = off;
    while (true) {
      boolean quoted = false;
      int start = scratchLength;
      int rawStart = p;
      if (p < end && b[p] == quote) {
        quoted = true;
        p++;
        boolean closed = false;
        while (p < end) {
          if (b[p] == quote) {
            if (p + 1 < end && b[p + 1] == quote) {
              appendScratch(quote);
              p += 2;
              continue;
            }
            p++;
            closed = true;
            break;
          }
          appendScratch(b[p++]);
        }
        if (!closed) {
          return "an unclosed quote in field " + (field + 1);
        }
        if (p < end && b[p] != delimiter) {
          return "text after the closing quote of field " + (field + 1);
        }
      } else {
        while (p < end && b[p] != delimiter) {
          p++;
        }
        appendScratch(b, rawStart, p - rawStart);
      }
      if (field < dataColumns.length) {
        int column = dataColumns[field];
        int length = scratchLength - start;
        boolean isNull = !quoted && length == nullValue.length
            && Arrays.equals(scratch, start, start + length, nullValue, 0, nullValue.length);
        if (!isNull) {
          String e = parseValue(column, scratch, start, length);
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

  private void appendScratch(byte v) {
    if (scratchLength == scratch.length) {
      scratch = Arrays.copyOf(scratch, scratch.length * 2);
    }
    scratch[scratchLength++] = v;
  }

  private void appendScratch(byte[] b, int off, int len) {
    if (scratchLength + len > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, scratchLength + len));
    }
    System.arraycopy(b, off, scratch, scratchLength, len);
    scratchLength += len;
  }

  private void setString(int column, byte[] b, int off, int len) {
    int start = scratchLength;
    appendScratch(b, off, len);
    stringStart[column] = start;
    stringLength[column] = len;
    nulls[column] = false;
  }

  /** Parses text into column {@code column}'s scratch slot; returns an error or null. */
  private String parseValue(int column, byte[] b, int off, int len) {
    TypeKind type = schema.type(column);
    if (type == TypeKind.VARCHAR) {
      stringStart[column] = off;
      stringLength[column] = len;
      nulls[column] = false;
      return null;
    }
    while (len > 0 && b[off] == ' ') {
      off++;
      len--;
    }
    while (len > 0 && b[off + len - 1] == ' ') {
      len--;
    }
    switch (type) {
      case INT, BIGINT -> {
        long v = parseLong(b, off, len);
        boolean bad = v == Long.MIN_VALUE && !(len == 20 && b[off] == '-' && Arrays.equals(b, off, off + len,
            LONG_MIN, 0, 20));
        if (bad || (type == TypeKind.INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE))) {
          return notA(column, b, off, len, type == TypeKind.INT ? "an INT" : "a BIGINT");
        }
        longs[column] = v;
      }
      case DOUBLE -> {
        try {
          doubles[column] = Double.parseDouble(new String(b, off, len, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
          return notA(column, b, off, len, "a number");
        }
      }
      case BOOLEAN -> {
        if (len == 4 && (b[off] | 0x20) == 't' && (b[off + 1] | 0x20) == 'r' && (b[off + 2] | 0x20) == 'u'
            && (b[off + 3] | 0x20) == 'e') {
          longs[column] = 1;
        } else if (len == 5 && (b[off] | 0x20) == 'f' && (b[off + 1] | 0x20) == 'a' && (b[off + 2] | 0x20) == 'l'
            && (b[off + 3] | 0x20) == 's' && (b[off + 4] | 0x20) == 'e') {
          longs[column] = 0;
        } else {
          return notA(column, b, off, len, "true or false");
        }
      }
      case TIMESTAMP -> {
        try {
          longs[column] = options.timestampFormat().parse(b, off, len);
        } catch (IllegalArgumentException e) {
          return notA(column, b, off, len, "a timestamp of the form " + options.timestampFormat().pattern());
        }
      }
      default -> throw new IllegalStateException(type.name());
    }
    nulls[column] = false;
    return null;
  }

  private String notA(int column, byte[] b, int off, int len, String what) {
    return "column " + schema.column(column).name() + " needs " + what + ", got '" + preview(b, off, len) + "'";
  }

  private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  /**
   * The value of decimal digits with an optional sign, or Long.MIN_VALUE when they are not that (the caller tells
   * Long.MIN_VALUE itself apart).
   */
  private static long parseLong(byte[] b, int off, int len) {
    if (len == 0) {
      return Long.MIN_VALUE;
    }
    boolean negative = b[off] == '-';
    int i = negative || b[off] == '+' ? 1 : 0;
    if (i == len || len - i > 19) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (; i < len; i++) {
      int d = b[off + i] - '0';
      if (d < 0 || d > 9) {
        return Long.MIN_VALUE;
      }
      long next = v * 10 - d;
      if (next > v) {
        return Long.MIN_VALUE;
      }
      v = next;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return Long.MIN_VALUE;
      }
      v = -v;
    }
    return v;
  }

  // ---------------------------------------------------------------- JSON lines

  private String decodeJson(byte[] b, int off, int len) {
    try (JsonParser parser = jsonFactory.createParser(b, off, len)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "not a JSON object";
      }
      String error = null;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        Integer column = jsonFields.get(name);
        if (column == null) {
          column = jsonFields.get(name.toLowerCase(java.util.Locale.ROOT));
        }
        JsonToken value = parser.nextToken();
        if (column == null) {
          parser.skipChildren();
          continue;
        }
        String e = jsonValue(column, value, parser);
        if (e != null && error == null) {
          error = e;
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return "an incomplete JSON object";
      }
      if (parser.nextToken() != null) {
        return "text after the JSON object";
      }
      return error;
    } catch (IOException e) {
      return "invalid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  private String jsonValue(int column, JsonToken value, JsonParser parser) throws IOException {
    TypeKind type = schema.type(column);
    String name = schema.column(column).name();
    switch (value) {
      case VALUE_NULL -> {
        return null;
      }
      case VALUE_STRING -> {
        byte[] text = parser.getText().getBytes(StandardCharsets.UTF_8);
        int start = scratchLength;
        appendScratch(text, 0, text.length);
        if (type == TypeKind.VARCHAR || type == TypeKind.TIMESTAMP) {
          return parseValue(column, scratch, start, text.length);
        }
        if (type == TypeKind.DOUBLE && (parser.getText().equals("NaN") || parser.getText().equals("Infinity")
            || parser.getText().equals("-Infinity"))) {
          return parseValue(column, scratch, start, text.length);
        }
        return "column " + name + " needs " + type.sqlName() + ", got the string \"" + parser.getText() + "\"";
      }
      case VALUE_NUMBER_INT -> {
        switch (type) {
          case INT, BIGINT, TIMESTAMP -> {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              return "column " + name + " got " + parser.getText() + ", too large";
            }
            long v = parser.getLongValue();
            if (type == TypeKind.INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
              return "column " + name + " needs an INT, got " + v;
            }
            longs[column] = v;
          }
          case DOUBLE -> doubles[column] = parser.getDoubleValue();
          case VARCHAR -> {
            return jsonText(column, parser.getText());
          }
          default -> {
            return "column " + name + " needs " + type.sqlName() + ", got " + parser.getText();
          }
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        if (type == TypeKind.DOUBLE) {
          doubles[column] = parser.getDoubleValue();
        } else if (type == TypeKind.VARCHAR) {
          return jsonText(column, parser.getText());
        } else {
          return "column " + name + " needs " + type.sqlName() + ", got " + parser.getText();
        }
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        if (type == TypeKind.BOOLEAN) {
          longs[column] = value == JsonToken.VALUE_TRUE ? 1 : 0;
        } else if (type == TypeKind.VARCHAR) {
          return jsonText(column, parser.getText());
        } else {
          return "column " + name + " needs " + type.sqlName() + ", got " + parser.getText();
        }
      }
      default -> {
        parser.skipChildren();
        return "column " + name + " needs " + type.sqlName() + ", got a JSON " + (value == JsonToken.START_ARRAY
            ? "array" : "object");
      }
    }
    nulls[column] = false;
    return null;
  }

  private String jsonText(int column, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    setString(column, bytes, 0, bytes.length);
    return null;
  }

  // ---------------------------------------------------------------- output

  private void writeRow() {
    for (int c = 0; c < external.length; c++) {
      if (external[c]) {
        nulls[c] = externalNulls[c];
        if (externalNulls[c]) {
          continue;
        }
        if (schema.type(c) == TypeKind.VARCHAR) {
          int start = scratchLength;
          appendScratch(externalBytes[c], 0, externalBytes[c].length);
          stringStart[c] = start;
          stringLength[c] = externalBytes[c].length;
        } else {
          longs[c] = externalLongs[c];
        }
      }
    }
    if (vectors == null) {
      vectors = new FieldVector[schema.size()];
      for (int c = 0; c < vectors.length; c++) {
        vectors[c] = schema.column(c).toArrowField().createVector(allocator);
        vectors[c].setInitialCapacity(batchRows);
        vectors[c].allocateNew();
      }
    }
    int row = rows;
    for (int c = 0; c < vectors.length; c++) {
      FieldVector v = vectors[c];
      if (nulls[c]) {
        v.setNull(row);
        continue;
      }
      switch (schema.type(c)) {
        case BIGINT -> ((BigIntVector) v).setSafe(row, longs[c]);
        case INT -> ((IntVector) v).setSafe(row, (int) longs[c]);
        case DOUBLE -> ((Float8Vector) v).setSafe(row, doubles[c]);
        case BOOLEAN -> ((BitVector) v).setSafe(row, (int) longs[c]);
        case TIMESTAMP -> ((TimeStampMilliVector) v).setSafe(row, longs[c]);
        case VARCHAR -> ((VarCharVector) v).setSafe(row, scratch, stringStart[c], stringLength[c]);
        default -> throw new IllegalStateException();
      }
    }
    rows++;
  }

  /** The rows decoded since the last flush as a batch the caller owns, or null when there are none. */
  public Batch flush() {
    if (rows == 0) {
      return null;
    }
    List<FieldVector> list = new ArrayList<>(vectors.length);
    for (FieldVector v : vectors) {
      v.setValueCount(rows);
      list.add(v);
    }
    Batch batch = Batch.of(schema, list, rows);
    vectors = null;
    rows = 0;
    return batch;
  }

  @Override
  public void close() {
    if (vectors != null) {
      for (FieldVector v : vectors) {
        v.close();
      }
      vectors = null;
      rows = 0;
    }
  }
}
