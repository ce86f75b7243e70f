package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.batch.Values;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Golden queries: each {@code queries/<name>.sql} declares its streams, a query, the data to add (each
 * {@code -- data: <stream>} block one micro-batch) and the answer ({@code -- expect:}, the final result table, in
 * any order) or the error ({@code -- error: <part of the message>}). {@code -- mode:} picks the output mode;
 * in update mode {@code -- key: N} says that the first N columns are the key by which later rows replace earlier
 * ones. Every file runs three ways — as written, one row per micro-batch, and with a stop and a restart from the
 * checkpoint after every micro-batch — in one and in three partitions, and all six must give the answer; a file
 * with {@code -- state-store: memory, rocksdb} runs all six with each state store.
 */
class GoldenQueryTest {
  private static final Path DIRECTORY = Path.of("src/test/resources/queries");

  enum Way { AS_WRITTEN, SINGLE_ROWS, RESTART_EVERY_BATCH }

  /** A parsed golden file. */
  record Golden(List<String> statements, String query, OutputMode mode, int keyColumns,
      List<Map.Entry<String, List<String>>> batches, List<String> expected, String error, List<String> stores) {
  }

  @TestFactory
  @Execution(ExecutionMode.CONCURRENT)
  Stream<DynamicNode> everyGoldenQuery() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(DIRECTORY)) {
      // -Dfreshet.golden.only=temporal runs the goldens whose file name contains that text.
      String only = System.getProperty("freshet.golden.only", "");
      files = list.filter(p -> p.toString().endsWith(".sql") && p.getFileName().toString().contains(only)).sorted()
          .toList();
    }
    assertFalse(files.isEmpty(), "no golden queries in " + DIRECTORY.toAbsolutePath());
    return files.stream().map(file -> {
      Golden golden = parse(file);
      List<DynamicNode> runs = new ArrayList<>();
      for (String store : golden.stores()) {
        for (int partitions : new int[] {1, 3}) {
          for (Way way : golden.error() != null ? new Way[] {Way.AS_WRITTEN} : Way.values()) {
            runs.add(DynamicTest.dynamicTest(way.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", P = "
                + partitions + ", " + store, () -> run(golden, way, partitions, store)));
          }
        }
      }
      return DynamicContainer.dynamicContainer(file.getFileName().toString(), runs);
    });
  }

  static Golden parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder sql = new StringBuilder();
    OutputMode mode = null;
    int keyColumns = -1;
    String error = null;
    List<String> stores = List.of("memory");
    List<Map.Entry<String, List<String>>> batches = new ArrayList<>();
    List<String> expected = null;
    List<String> current = null;
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("-- mode:")) {
        mode = OutputMode.parse(trimmed.substring("-- mode:".length()).trim());
      } else if (trimmed.startsWith("-- key:")) {
        keyColumns = Integer.parseInt(trimmed.substring("-- key:".length()).trim());
      } else if (trimmed.startsWith("-- state-store:")) {
        stores = List.of(trimmed.substring("-- state-store:".length()).trim().split("\\s*,\\s*"));
      } else if (trimmed.startsWith("-- error:")) {
        error = trimmed.substring("-- error:".length()).trim();
      } else if (trimmed.startsWith("-- data:")) {
        current = new ArrayList<>();
        batches.add(Map.entry(trimmed.substring("-- data:".length()).trim(), current));
      } else if (trimmed.equals("-- expect:")) {
        expected = new ArrayList<>();
        current = expected;
      } else if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      } else if (current != null) {
        current.add(normalize(trimmed));
      } else {
        sql.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String statement : sql.toString().split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.trim());
      }
    }
    String query = statements.remove(statements.size() - 1);
    if (error == null && expected == null) {
      throw new IllegalStateException(file + " has neither '-- expect:' nor '-- error:'");
    }
    if (mode == OutputMode.UPDATE && keyColumns < 0) {
      throw new IllegalStateException(file + " is in update mode and needs '-- key: N'");
    }
    return new Golden(statements, query, mode, keyColumns, batches, expected, error, stores);
  }

  private static String normalize(String line) {
    List<String> fields = new ArrayList<>();
    for (String field : line.split(",", -1)) {
      fields.add(field.trim());
    }
    return String.join(", ", fields);
  }

  private static void run(Golden golden, Way way, int partitions, String store) throws IOException {
    Path checkpoint = Files.createTempDirectory("freshet-golden-");
    try (FreshetSession session = FreshetSession.builder().master("local[" + partitions + "]").create()) {
      session.conf().set("state-store", store);
      for (String statement : golden.statements()) {
        session.sql(statement);
      }
      if (golden.error() != null) {
        String message = failure(session, golden, checkpoint);
        assertTrue(message.contains(golden.error()), "expected an error containing '" + golden.error()
            + "' but got: " + message);
        return;
      }
      StreamingQuery query = start(session, golden, checkpoint);
      try {
        for (Map.Entry<String, List<String>> batch : golden.batches()) {
          RowSchema schema = session.catalog().get(batch.getKey()).schema();
          List<Row> rows = batch.getValue().stream().map(line -> row(line, schema)).toList();
          List<List<Row>> microBatches = way == Way.SINGLE_ROWS
              ? rows.stream().map(List::of).toList() : List.of(rows);
          for (List<Row> microBatch : microBatches) {
            session.memoryStream(batch.getKey()).addData(microBatch);
            query.processAllAvailable();
          }
          if (way == Way.RESTART_EVERY_BATCH) {
            query.stop();
            query = start(session, golden, checkpoint);
          }
        }
        query.processAllAvailable();
      } finally {
        query.stop();
      }
      List<String> actual = answer(session.memoryTableRows("golden"), golden);
      assertEquals(sorted(golden.expected()), sorted(actual));
    } finally {
      try (Stream<Path> paths = Files.walk(checkpoint)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static StreamingQuery start(FreshetSession session, Golden golden, Path checkpoint) {
    var writer = session.sql(golden.query()).writeStream().format("memory").queryName("golden")
        .option("checkpointLocation", checkpoint.toString());
    if (golden.mode() != null) {
      writer.outputMode(golden.mode());
    }
    return writer.start();
  }

  /** The message of the failure the query meets when it is planned, started or fed its data. */
  private static String failure(FreshetSession session, Golden golden, Path checkpoint) {
    try {
      StreamingQuery query = start(session, golden, checkpoint);
      try {
        for (Map.Entry<String, List<String>> batch : golden.batches()) {
          RowSchema schema = session.catalog().get(batch.getKey()).schema();
          session.memoryStream(batch.getKey()).addData(batch.getValue().stream().map(l -> row(l, schema)).toList());
          query.processAllAvailable();
        }
      } finally {
        query.stop();
      }
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    return "no error";
  }

  /** The final result table: in update mode, the last row of each key. */
  private static List<String> answer(List<Row> rows, Golden golden) {
    if (golden.mode() != OutputMode.UPDATE) {
      return rows.stream().map(GoldenQueryTest::text).toList();
    }
    Map<String, String> byKey = new LinkedHashMap<>();
    for (Row row : rows) {
      List<String> key = new ArrayList<>();
      for (int i = 0; i < golden.keyColumns(); i++) {
        key.add(Values.format(row.get(i)));
      }
      byKey.put(String.join(", ", key), text(row));
    }
    return new ArrayList<>(byKey.values());
  }

  private static String text(Row row) {
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < row.size(); i++) {
      Object v = row.get(i);
      fields.add(v instanceof LocalDateTime t ? Values.format(t).replace(".000", "") : Values.format(v));
    }
    return String.join(", ", fields);
  }

  private static Row row(String line, RowSchema schema) {
    String[] fields = line.split(",", -1);
    if (fields.length != schema.size()) {
      throw new IllegalStateException("'" + line + "' has " + fields.length + " values; " + schema + " has "
          + schema.size());
    }
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i].trim();
      TypeKind type = schema.type(i);
      values[i] = f.equals("null") ? null : switch (type) {
        case INT -> Integer.parseInt(f);
        case BIGINT -> Long.parseLong(f);
        case DOUBLE -> Double.parseDouble(f);
        case BOOLEAN -> Boolean.parseBoolean(f);
        case TIMESTAMP -> LocalDateTime.parse(f.replace(' ', 'T'));
        default -> f;
      };
    }
    return Row.of(values);
  }

  private static List<String> sorted(List<String> rows) {
    return rows.stream().sorted().toList();
  }
}
