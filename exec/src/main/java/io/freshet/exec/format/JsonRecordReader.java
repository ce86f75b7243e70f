package io.freshet.exec.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one JSON-lines record, an object, into the columns of a {@link RowBuffer}. Fields match columns by name,
 * exactly or else in lower case; other fields are skipped and a missing one is NULL. A JSON value must fit its
 * column's type (a string is parsed as text only for VARCHAR, TIMESTAMP and a DOUBLE's NaN and infinities; any
 * scalar fits a VARCHAR); the record is malformed when it is not one complete object or a value does not fit.
 */
final class JsonRecordReader {
  private final RowSchema schema;
  private final TextValueParser parser;
  private final Map<String, Integer> fields = new HashMap<>();
  private final JsonFactory jsonFactory = Json.MAPPER.getFactory();

  /** Reads the fields named as {@code dataColumns} (column indexes of {@code schema}). */
  JsonRecordReader(RowSchema schema, int[] dataColumns, TextValueParser parser) {
    this.schema = schema;
    this.parser = parser;
    for (int c : dataColumns) {
      fields.put(schema.column(c).name(), c);
      fields.putIfAbsent(schema.column(c).name().toLowerCase(Locale.ROOT), c);
    }
  }

  /** Reads the {@code len} bytes at {@code off} into {@code row}; returns the first error, or null. */
  String read(byte[] b, int off, int len, RowBuffer row) {
    try (JsonParser json = jsonFactory.createParser(b, off, len)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return "not a JSON object";
      }
      String error = null;
      JsonToken token;
      while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        Integer column = fields.get(name);
        if (column == null) {
          column = fields.get(name.toLowerCase(Locale.ROOT));
        }
        JsonToken value = json.nextToken();
        if (column == null) {
          json.skipChildren();
          continue;
        }
        String e = value(column, value, json, row);
        if (e != null && error == null) {
          error = e;
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return "an incomplete JSON object";
      }
      if (json.nextToken() != null) {
        return "text after the JSON object";
      }
      return error;
    } catch (IOException e) {
      return "invalid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  private String value(int column, JsonToken value, JsonParser json, RowBuffer row) throws IOException {
    TypeKind type = schema.type(column);
    String name = schema.column(column).name();
    switch (value) {
      case VALUE_NULL -> {
        return null;
      }
      case VALUE_STRING -> {
        byte[] text = json.getText().getBytes(StandardCharsets.UTF_8);
        int start = row.scratchLength();
        row.append(text, 0, text.length);
        if (type == TypeKind.VARCHAR || type == TypeKind.TIMESTAMP) {
          return parser.parse(row, column, start, text.length);
        }
        if (type == TypeKind.DOUBLE && (json.getText().equals("NaN") || json.getText().equals("Infinity")
            || json.getText().equals("-Infinity"))) {
          return parser.parse(row, column, start, text.length);
        }
        return "column " + name + " needs " + type.sqlName() + ", got the string \"" + json.getText() + "\"";
      }
      case VALUE_NUMBER_INT -> {
        switch (type) {
          case INT, BIGINT, TIMESTAMP -> {
            if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              return "column " + name + " got " + json.getText() + ", too large";
            }
            long v = json.getLongValue();
            if (type == TypeKind.INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
              return "column " + name + " needs an INT, got " + v;
            }
            row.setLong(column, v);
          }
          case DOUBLE -> row.setDouble(column, json.getDoubleValue());
          case VARCHAR -> {
            return text(column, json.getText(), row);
          }
          default -> {
            return "column " + name + " needs " + type.sqlName() + ", got " + json.getText();
          }
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        if (type == TypeKind.DOUBLE) {
          row.setDouble(column, json.getDoubleValue());
        } else if (type == TypeKind.VARCHAR) {
          return text(column, json.getText(), row);
        } else {
          return "column " + name + " needs " + type.sqlName() + ", got " + json.getText();
        }
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        if (type == TypeKind.BOOLEAN) {
          row.setLong(column, value == JsonToken.VALUE_TRUE ? 1 : 0);
        } else if (type == TypeKind.VARCHAR) {
          return text(column, json.getText(), row);
        } else {
          return "column " + name + " needs " + type.sqlName() + ", got " + json.getText();
        }
      }
      default -> {
        json.skipChildren();
        return "column " + name + " needs " + type.sqlName() + ", got a JSON " + (value == JsonToken.START_ARRAY
            ? "array" : "object");
      }
    }
    return null;
  }

  /** A scalar taken as the text of a VARCHAR column. */
  private static String text(int column, String text, RowBuffer row) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    row.setString(column, bytes, 0, bytes.length);
    return null;
  }
}
