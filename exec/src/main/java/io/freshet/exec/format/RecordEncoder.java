package io.freshet.exec.format;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Writes rows as text records in the format {@link RecordDecoder} reads back: CSV (a field quoted when it holds
 * the delimiter, the quote, a line break, or is an empty string that would read back as NULL) or JSON lines
 * (NULL fields left out, as Spark writes them). Values come straight from the vectors; timestamps use the
 * options' pattern.
 */
public final class RecordEncoder {
  private final RowSchema schema;
  private final FormatOptions options;
  private final byte[][] names;
  private final byte[] nullValue;
  /** The columns written, in order: every column, or those a key names. */
  private final int[] columns;

  public RecordEncoder(RowSchema schema, FormatOptions options) {
    this(schema, options, null);
  }

  /** Writes only {@code columns} of the rows (null: all of them), e.g. a result's key as a record's key. */
  public RecordEncoder(RowSchema schema, FormatOptions options, int[] columns) {
    this.columns = columns != null ? columns.clone() : java.util.stream.IntStream.range(0, schema.size()).toArray();
    if (options.format() == FormatOptions.Format.TEXT
        && (this.columns.length != 1 || schema.type(this.columns[0]) != TypeKind.VARCHAR)) {
      throw io.freshet.streaming.FreshetException.user("The text format writes one VARCHAR column; the query gives "
          + (columns == null ? schema : written(schema, this.columns)) + ". Use format csv or json");
    }
    this.schema = schema;
    this.options = options;
    this.nullValue = options.nullValue().getBytes(StandardCharsets.UTF_8);
    this.names = new byte[schema.size()][];
    for (int c = 0; c < names.length; c++) {
      ByteSink s = new ByteSink();
      jsonString(schema.column(c).name().getBytes(StandardCharsets.UTF_8), s);
      names[c] = java.util.Arrays.copyOf(s.array(), s.length());
    }
  }

  /** The columns written, described for a message, e.g. {@code (a VARCHAR, b BIGINT)} (partition columns left out). */
  private static String written(RowSchema schema, int[] columns) {
    return java.util.Arrays.stream(columns).mapToObj(c -> schema.column(c).toString())
        .collect(java.util.stream.Collectors.joining(", ", "(", ")")) + " (less its partition columns)";
  }

  /** A CSV header line naming the columns written. */
  public void header(ByteSink out) {
    for (int i = 0; i < columns.length; i++) {
      if (i > 0) {
        out.put(options.delimiter());
      }
      byte[] name = schema.column(columns[i]).name().getBytes(StandardCharsets.UTF_8);
      csvField(name, 0, name.length, out);
    }
    out.put((byte) '\n');
  }

  /** Appends row {@code row} of {@code batch} and a line feed. */
  public void encode(Batch batch, int row, ByteSink out) {
    switch (options.format()) {
      case TEXT -> {
        VarCharVector v = (VarCharVector) batch.vector(columns[0]);
        if (!v.isNull(row)) {
          byte[] bytes = v.get(row);
          out.put(bytes, 0, bytes.length);
        }
      }
      case CSV -> {
        for (int i = 0; i < columns.length; i++) {
          int c = columns[i];
          if (i > 0) {
            out.put(options.delimiter());
          }
          FieldVector v = batch.vector(c);
          if (v.isNull(row)) {
            out.put(nullValue, 0, nullValue.length);
          } else if (schema.type(c) == TypeKind.VARCHAR) {
            byte[] bytes = ((VarCharVector) v).get(row);
            csvField(bytes, 0, bytes.length, out);
          } else {
            value(v, schema.type(c), row, out);
          }
        }
      }
      case JSON -> {
        out.put((byte) '{');
        boolean first = true;
        for (int c : columns) {
          FieldVector v = batch.vector(c);
          if (v.isNull(row)) {
            continue;
          }
          if (!first) {
            out.put((byte) ',');
          }
          first = false;
          out.put(names[c], 0, names[c].length);
          out.put((byte) ':');
          TypeKind type = schema.type(c);
          if (type == TypeKind.VARCHAR) {
            jsonString(((VarCharVector) v).get(row), out);
          } else if (type == TypeKind.TIMESTAMP) {
            out.put((byte) '"');
            value(v, type, row, out);
            out.put((byte) '"');
          } else {
            value(v, type, row, out);
          }
        }
        out.put((byte) '}');
      }
    }
    out.put((byte) '\n');
  }

  private void value(FieldVector v, TypeKind type, int row, ByteSink out) {
    switch (type) {
      case BIGINT -> out.number(((BigIntVector) v).get(row));
      case INT -> out.number(((IntVector) v).get(row));
      case DOUBLE -> {
        double d = ((Float8Vector) v).get(row);
        boolean quoted = options.format() == FormatOptions.Format.JSON && !Double.isFinite(d);
        // JSON has no NaN or infinities: they are written as the strings "NaN", "Infinity", "-Infinity".
        out.ascii(quoted ? "\"" + d + "\"" : Double.toString(d));
      }
      case BOOLEAN -> out.ascii(((BitVector) v).get(row) != 0 ? "true" : "false");
      case TIMESTAMP -> options.timestampFormat().format(((TimeStampMilliVector) v).get(row), out);
      default -> throw new IllegalStateException(type.name());
    }
  }

  private void csvField(byte[] b, int off, int len, ByteSink out) {
    byte quote = options.quote();
    boolean needsQuotes = len == 0 || (len == nullValue.length
        && java.util.Arrays.equals(b, off, off + len, nullValue, 0, len));
    for (int i = off; i < off + len && !needsQuotes; i++) {
      byte x = b[i];
      needsQuotes = x == options.delimiter() || x == quote || x == '\n' || x == '\r';
    }
    if (!needsQuotes) {
      out.put(b, off, len);
      return;
    }
    out.put(quote);
    for (int i = off; i < off + len; i++) {
      if (b[i] == quote) {
        out.put(quote);
      }
      out.put(b[i]);
    }
    out.put(quote);
  }

  private static void jsonString(byte[] b, ByteSink out) {
    out.put((byte) '"');
    for (byte x : b) {
      switch (x) {
        case '"' -> {
          out.put((byte) '\\');
          out.put((byte) '"');
        }
        case '\\' -> {
          out.put((byte) '\\');
          out.put((byte) '\\');
        }
        case '\n' -> {
          out.put((byte) '\\');
          out.put((byte) 'n');
        }
        case '\r' -> {
          out.put((byte) '\\');
          out.put((byte) 'r');
        }
        case '\t' -> {
          out.put((byte) '\\');
          out.put((byte) 't');
        }
        default -> {
          if (x >= 0 && x < 0x20) {
            out.ascii(String.format("\\u%04x", x));
          } else {
            out.put(x);
          }
        }
      }
    }
    out.put((byte) '"');
  }
}
