package io.freshet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden plans: each {@code plans/<name>.sql} is planned over the tables below and its plan (or its error) must
 * equal {@code plans/<name>.plan}. A line {@code -- mode: update} in the SQL picks the output mode (default: the
 * query's own). After a deliberate change to planning, regenerate the expected files with
 * {@code mvn test -pl planner -Dtest=GoldenPlanTest -Dfreshet.golden.regenerate=true} and review the diff.
 *
 * <p>The planner takes parsed SQL; these queries are parsed with Calcite's own grammar (Freshet's, which reads
 * {@code dateTime} unquoted, is the sql module's), so they write {@code `dateTime`} in back-ticks.
 */
class GoldenPlanTest {
  private static final Path DIRECTORY = Path.of("src/test/resources/plans");
  private static final boolean REGENERATE = Boolean.getBoolean("freshet.golden.regenerate");

  /** The catalog the golden queries read. */
  static final List<PlannerTable> TABLES = List.of(
      new PlannerTable("bid", RowSchema.of(Column.of("auction", TypeKind.BIGINT), Column.of("bidder", TypeKind.BIGINT),
          Column.of("price", TypeKind.BIGINT), Column.of("channel", TypeKind.VARCHAR),
          Column.of("url", TypeKind.VARCHAR), Column.of("dateTime", TypeKind.TIMESTAMP),
          Column.of("extra", TypeKind.VARCHAR)), false, "dateTime", "dateTime - INTERVAL '4' SECOND",
          () -> parse("`dateTime` - INTERVAL '4' SECOND", true), 0),
      new PlannerTable("clicks", RowSchema.of(Column.of("userId", TypeKind.VARCHAR), Column.of("url", TypeKind.VARCHAR),
          Column.of("ts", TypeKind.TIMESTAMP)), false),
      new PlannerTable("lines", RowSchema.of(Column.of("line", TypeKind.VARCHAR)), false),
      new PlannerTable("sales", RowSchema.of(Column.of("product", TypeKind.VARCHAR),
          Column.of("amount", TypeKind.DOUBLE), Column.of("ts", TypeKind.TIMESTAMP)), true),
      new PlannerTable("orders", RowSchema.of(Column.of("currency", TypeKind.VARCHAR),
          Column.of("amount", TypeKind.DOUBLE), Column.of("ts", TypeKind.TIMESTAMP)), false, "ts", "ts",
          () -> parse("ts", true), 0),
      new PlannerTable("rates", RowSchema.of(Column.of("currency", TypeKind.VARCHAR),
          Column.of("rate", TypeKind.DOUBLE), Column.of("ts", TypeKind.TIMESTAMP)), false, "ts", "ts",
          () -> parse("ts", true), 0, List.of("currency")));

  @TestFactory
  Stream<DynamicTest> everyGoldenPlan() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(DIRECTORY)) {
      files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no golden plans in " + DIRECTORY.toAbsolutePath());
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
  }

  private static void check(Path sqlFile) throws IOException {
    String sql = Files.readString(sqlFile, StandardCharsets.UTF_8);
    String actual = planText(sql);
    Path expectedFile = sqlFile.resolveSibling(sqlFile.getFileName().toString().replace(".sql", ".plan"));
    if (REGENERATE) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(expectedFile)) {
      throw new AssertionError(expectedFile + " is missing; run with -Dfreshet.golden.regenerate=true and review "
          + "it. The plan is:\n" + actual);
    }
    assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, sqlFile.toString());
  }

  /** The plan in the mode the file asks for (or the default), or {@code error: <message>}. */
  static String planText(String sql) {
    OutputMode mode = null;
    for (String line : sql.split("\n")) {
      if (line.startsWith("-- mode:")) {
        mode = OutputMode.valueOf(line.substring("-- mode:".length()).trim().toUpperCase(Locale.ROOT));
      }
    }
    try {
      PlannedQuery planned = new QueryPlanner(TABLES).plan(parse(stripComments(sql), false));
      OutputMode m = mode != null ? mode : planned.defaultMode();
      return "mode: " + m.name().toLowerCase(Locale.ROOT) + "\n" + planned.plan(m).explain();
    } catch (FreshetException e) {
      return "error: " + e.getMessage() + "\n";
    }
  }

  /** A statement or an expression, parsed with Calcite's grammar and Freshet's options. */
  static SqlNode parse(String sql, boolean expression) {
    try {
      SqlParser parser = SqlParser.create(sql, SqlParsers.CONFIG);
      return expression ? parser.parseExpression() : parser.parseStmt();
    } catch (SqlParseException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static String stripComments(String sql) {
    StringBuilder sb = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.startsWith("--")) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString().trim().replaceAll(";$", "");
  }
}
