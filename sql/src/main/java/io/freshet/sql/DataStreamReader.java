package io.freshet.sql;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.sql.catalog.TableKind;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Declares a stream from the Java API, as Spark's {@code spark.readStream()}. */
public final class DataStreamReader {
  private final FreshetSession session;
  private String format;
  private final Map<String, String> options = new LinkedHashMap<>();
  private RowSchema schema;

  DataStreamReader(FreshetSession session) {
    this.session = session;
  }

  /** The connector: nexmark, rate, memory, ... */
  public DataStreamReader format(String connector) {
    this.format = connector;
    return this;
  }

  public DataStreamReader option(String key, String value) {
    options.put(key, value);
    return this;
  }

  public DataStreamReader option(String key, long value) {
    return option(key, Long.toString(value));
  }

  public DataStreamReader options(Map<String, String> values) {
    options.putAll(values);
    return this;
  }

  /** Declares the columns, as DDL text: {@code "word STRING, count BIGINT"}. */
  public DataStreamReader schema(String columns) {
    List<Column> list = new ArrayList<>();
    for (String part : columns.split(",")) {
      String[] words = part.trim().split("\\s+", 2);
      if (words.length < 2) {
        throw FreshetException.user("Cannot read column '" + part.trim() + "' in schema \"" + columns
            + "\"; write name TYPE, e.g. \"word STRING, n BIGINT\"");
      }
      TypeKind type = TypeKind.fromSqlName(words[1].replaceAll("\\(.*\\)", "").trim());
      if (type == null) {
        throw FreshetException.user("Unknown type '" + words[1] + "' in schema \"" + columns + "\"");
      }
      list.add(Column.of(words[0], type));
    }
    this.schema = new RowSchema(list);
    return this;
  }

  public DataStreamReader schema(RowSchema schema) {
    this.schema = schema;
    return this;
  }

  /** The stream of the files at {@code path} (a directory, a glob or a file), as Spark's {@code load(path)}. */
  public Dataset load(String path) {
    return option("path", path).load();
  }

  /** The stream as a Dataset; register it for SQL with {@link Dataset#createOrReplaceTempView}. */
  public Dataset load() {
    if (format == null) {
      throw FreshetException.user("readStream() needs a format, e.g. .format(\"nexmark\")");
    }
    String name = session.nextAnonymousName();
    Map<String, String> all = new LinkedHashMap<>(options);
    all.put("connector", format);
    session.catalog().add(session.define(name, TableKind.STREAM, format, all, schema, null), false);
    return session.table(name);
  }
}
