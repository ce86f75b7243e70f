package io.freshet.sql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import io.freshet.sql.catalog.TableKind;
import io.freshet.sql.catalog.Watermark;
import io.freshet.streaming.FreshetException;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.SqlDescribeTable;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each statement parses into its node; errors say what is wrong and where it is in the script. */
class FreshetParserTest {

  private static <T extends SqlNode> T parse(Class<T> type, String sql) {
    return assertInstanceOf(type, FreshetParser.parseStatement(sql));
  }

  private static String fails(String sql) {
    return assertThrows(FreshetException.class, () -> FreshetParser.parseStatement(sql), sql).getMessage();
  }

  @Test
  void createDeclaresColumnsWatermarkAndOptions() {
    SqlCreateTable create = parse(SqlCreateTable.class, """
        CREATE OR REPLACE STREAM IF NOT EXISTS nexmark.bid (
          auction BIGINT NOT NULL, price DOUBLE PRECISION, url STRING, ts TIMESTAMP(3),
          WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
        WITH ('connector' = 'nexmark', events = 1000, 'bounded' = true)""");
    assertEquals(TableKind.STREAM, create.kind());
    assertEquals("nexmark.bid", create.name());
    assertTrue(create.orReplace());
    assertTrue(create.ifNotExists);
    assertEquals(List.of(new Column("auction", TypeKind.BIGINT, false), Column.of("price", TypeKind.DOUBLE),
        Column.of("url", TypeKind.VARCHAR), Column.of("ts", TypeKind.TIMESTAMP)), create.columns());
    assertEquals(new Watermark("ts", "ts - INTERVAL '3' SECOND"), create.watermark());
    assertEquals(Map.of("connector", "nexmark", "events", "1000", "bounded", "true"), create.options());
    assertEquals("line 1, column 1", create.position());

    SqlCreateTable table = parse(SqlCreateTable.class, "CREATE TEMPORARY TABLE out WITH ('connector' = 'memory')");
    assertEquals(TableKind.TABLE, table.kind());
    assertNull(table.columns());
    assertNull(table.watermark());
    assertFalse(table.orReplace());
  }

  @Test
  void theBuiltInSourcesColumnsNeedNoQuotes() {
    SqlCreateTable kafka = parse(SqlCreateTable.class, "CREATE STREAM records (key VARCHAR, value VARCHAR, "
        + "topic VARCHAR, partition INT, offset BIGINT, timestamp TIMESTAMP(3), "
        + "WATERMARK FOR timestamp AS timestamp - INTERVAL '1' SECOND) WITH ('connector' = 'kafka')");
    assertEquals(List.of("key", "value", "topic", "partition", "offset", "timestamp"),
        kafka.columns().stream().map(Column::name).toList());
    assertEquals(new Watermark("timestamp", "timestamp - INTERVAL '1' SECOND"), kafka.watermark());
    parse(SqlCreateTable.class, "CREATE STREAM bids (dateTime TIMESTAMP(3), WATERMARK FOR dateTime AS dateTime) "
        + "WITH ('connector' = 'memory')");

    assertEquals("SELECT `key`, `value`, `partition`, `offset`, `timestamp`, `dateTime`, `t`.`offset`\n"
            + "FROM `records` AS `t`\n"
            + "WHERE `partition` = 0 AND `offset` > 10 AND `timestamp` > TIMESTAMP '2026-01-01 00:00:00'\n"
            + "GROUP BY `partition`",
        FreshetParser.parseStatement("SELECT key, value, partition, offset, timestamp, dateTime, t.offset "
            + "FROM records AS t WHERE partition = 0 AND offset > 10 AND timestamp > TIMESTAMP '2026-01-01 00:00:00' "
            + "GROUP BY partition").toString());
    // The same words stay keywords where SQL uses them as keywords.
    assertEquals("SELECT `offset`, ROW_NUMBER() OVER (PARTITION BY `partition` ORDER BY `offset`)\nFROM `records`",
        FreshetParser.parseStatement("SELECT offset, ROW_NUMBER() OVER (PARTITION BY partition ORDER BY offset) "
            + "FROM records").toString());
    assertEquals("SELECT *\nFROM `records`\nORDER BY `offset`\nOFFSET 2 ROWS\nFETCH NEXT 3 ROWS ONLY",
        FreshetParser.parseStatement("SELECT * FROM records ORDER BY offset LIMIT 3 OFFSET 2").toString());
    assertEquals("SELECT *\nFROM TABLE(SESSION(TABLE `records` PARTITION BY `partition`, DESCRIPTOR(`timestamp`), "
            + "INTERVAL '1' SECOND))",
        FreshetParser.parseStatement("SELECT * FROM TABLE(SESSION(TABLE records PARTITION BY partition, "
            + "DESCRIPTOR(timestamp), INTERVAL '1' SECOND))").toString());
    assertEquals("SELECT CAST(`value` AS TIMESTAMP(3)), CAST(`dateTime` AS VARCHAR)\nFROM `records`",
        FreshetParser.parseStatement("SELECT CAST(value AS TIMESTAMP(3)), CAST(dateTime AS VARCHAR) FROM records")
            .toString());
  }

  /** Each of the sources' column names, unquoted, in each place a column may stand. */
  @ParameterizedTest
  @ValueSource(strings = {"timestamp", "value", "key", "partition", "offset", "dateTime"})
  void aColumnNameReadsAsANameWhereverItStands(String name) {
    List<String> places = List.of("SELECT @ FROM t", "SELECT a, @ FROM t", "SELECT @, a FROM t", "SELECT MAX(@) FROM t",
        "SELECT UPPER(@) FROM t", "SELECT COUNT(DISTINCT @) FROM t", "SELECT CAST(@ AS VARCHAR) FROM t",
        "SELECT @ + 1 FROM t", "SELECT (@) FROM t", "SELECT -@ FROM t", "SELECT CASE WHEN @ > 1 THEN @ ELSE @ END FROM t",
        "SELECT a FROM t WHERE @ IN (1, 2)", "SELECT a FROM t WHERE @ BETWEEN 1 AND 2", "SELECT a FROM t WHERE @ IS NULL",
        "SELECT a FROM t WHERE 1 = @", "SELECT a FROM t GROUP BY @", "SELECT a FROM t ORDER BY @ DESC",
        "SELECT t.@ FROM t", "SELECT a AS @ FROM t", "SELECT a @ FROM t", "SELECT * FROM t AS u(@, b)",
        "SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(@), INTERVAL '1' SECOND))", "SELECT COALESCE(@, 0) FROM t",
        "SELECT SUBSTRING(@ FROM 1) FROM t", "SELECT @ || 'a' FROM t", "SELECT a FROM t WHERE @ LIKE 'a%'",
        "SELECT ROW_NUMBER() OVER (PARTITION BY @ ORDER BY @) FROM t", "SELECT a FROM (SELECT @ FROM t)",
        "INSERT INTO s SELECT @ FROM t", "SELECT @ FROM t WHERE @ > TIMESTAMP '2026-01-01 00:00:00'",
        "SELECT FLOOR(@ TO SECOND) FROM t", "SELECT EXTRACT(YEAR FROM @) FROM t", "SELECT @[1] FROM t",
        "SELECT MOD(@, 7) FROM t", "SELECT @ FROM t GROUP BY @ HAVING @ > 1");
    for (String place : places) {
      String sql = place.replace("@", name);
      assertTrue(FreshetParser.parseStatement(sql).toString().contains("`" + name + "`"), sql);
    }
  }

  @Test
  void everyOtherStatement() {
    SqlDropTable drop = parse(SqlDropTable.class, "DROP STREAM IF EXISTS nexmark.bid");
    assertEquals(TableKind.STREAM, drop.kind());
    assertEquals("nexmark.bid", drop.name());
    assertTrue(drop.ifExists);
    assertFalse(parse(SqlDropTable.class, "DROP TABLE out").ifExists);

    assertEquals(SqlShow.What.STREAMS, parse(SqlShow.class, "SHOW STREAMS").what());
    assertEquals(SqlShow.What.TABLES, parse(SqlShow.class, "show tables").what());
    assertEquals(SqlShow.What.QUERIES, parse(SqlShow.class, "SHOW QUERIES").what());
    assertEquals(SqlShow.What.SETTINGS, parse(SqlShow.class, "SET").what());

    assertEquals(List.of("nexmark", "bid"), parse(SqlDescribeTable.class, "DESCRIBE nexmark.bid").getTable().names);
    assertEquals(List.of("bid"), parse(SqlDescribeTable.class, "DESC TABLE bid").getTable().names);

    SqlExplain explain = parse(SqlExplain.class, "EXPLAIN SELECT value FROM ticks");
    assertEquals(SqlKind.SELECT, explain.getExplicandum().getKind());
    assertInstanceOf(SqlInsert.class, parse(SqlExplain.class, "EXPLAIN INSERT INTO t SELECT 1").getExplicandum());

    SqlSetOption set = parse(SqlSetOption.class, "SET 'checkpoint-location' = '/tmp/c'");
    assertEquals("checkpoint-location", set.getName().getSimple());
    assertEquals("/tmp/c", ((SqlLiteral) set.getValue()).getValueAs(String.class));
    SqlSetOption unquoted = parse(SqlSetOption.class, "SET dml-sync = false");
    assertEquals("dml-sync", unquoted.getName().getSimple());
    assertEquals("false", ((SqlLiteral) unquoted.getValue()).getValueAs(String.class));
    SqlSetOption reset = parse(SqlSetOption.class, "RESET 'dml-sync'");
    assertEquals("dml-sync", reset.getName().getSimple());
    assertNull(reset.getValue());
    assertEquals("ALL", parse(SqlSetOption.class, "RESET").getName().getSimple());

    assertEquals("sunk", parse(SqlStopQuery.class, "STOP QUERY sunk").nameOrId());
    assertEquals("my query", parse(SqlStopQuery.class, "STOP QUERY `my query`").nameOrId());
    SqlStopQuery byId = parse(SqlStopQuery.class, "STOP QUERY 3fa85f64-5717-4562-b3fc-2c963f66afa6");
    assertEquals("3fa85f64-5717-4562-b3fc-2c963f66afa6", byId.nameOrId());
    assertEquals("line 1, column 12", byId.namePosition());

    assertEquals("", parse(SqlHelp.class, "HELP").topic());
    assertEquals("STOP QUERY", parse(SqlHelp.class, "help stop  query").topic());

    assertInstanceOf(SqlInsert.class, FreshetParser.parseStatement("INSERT INTO out SELECT value FROM ticks"));
    assertEquals(SqlKind.VALUES, FreshetParser.parseStatement("VALUES (1, 'a')").getKind());
  }

  @Test
  void ddlErrorsSayWhatAndWhere() {
    assertEquals("SQL error at line 2, column 4: unknown type 'BIGNT' for column 'b'; use BOOLEAN, INT, BIGINT, "
        + "DOUBLE, DECIMAL, VARCHAR, STRING or TIMESTAMP(3)", fails("CREATE STREAM s (a BIGINT,\n b BIGNT)"));
    assertEquals("SQL error at line 1, column 28: column 'A' is declared twice",
        fails("CREATE STREAM s (a BIGINT, A INT)"));
    assertEquals("SQL error at line 1, column 21: TIMESTAMP precision is at most 3 (milliseconds)",
        fails("CREATE STREAM s (ts TIMESTAMP(6))"));
    assertEquals("SQL error at line 1, column 21: TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP(3), read "
        + "as UTC", fails("CREATE STREAM s (ts TIMESTAMP WITH LOCAL TIME ZONE)"));
    assertEquals("SQL error at line 1, column 19: expected the type of column 'a'", fails("CREATE STREAM s (a, b INT)"));
    assertEquals("SQL error at line 1, column 42: the watermark names column 'ts', which is not declared; declared "
        + "columns are [a]", fails("CREATE STREAM s (a BIGINT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"));
    assertEquals("SQL error at line 1, column 42: the watermark column 'a' is BIGINT; it must be TIMESTAMP(3)",
        fails("CREATE STREAM s (a BIGINT, WATERMARK FOR a AS a)"));
    assertEquals("SQL error at line 1, column 53: a stream has one WATERMARK",
        fails("CREATE STREAM s (t TIMESTAMP, WATERMARK FOR t AS t, WATERMARK FOR t AS t)"));
    assertEquals("SQL error at line 1, column 15: declare at least one column",
        fails("CREATE STREAM s (WATERMARK FOR t AS t)"));
    assertEquals("SQL error at line 1, column 45: option 'a' is given twice",
        fails("CREATE STREAM s WITH ('a' = 'b', 'c' = 'd', a = 'e')"));
    assertEquals("SQL error at line 1, column 29: expected a value for option 'a', e.g. 'a' = 'value'",
        fails("CREATE STREAM s WITH ('a' = )"));
    assertEquals("SQL error at line 1, column 23: expected an option name in quotes, e.g. 'connector'",
        fails("CREATE STREAM s WITH (= 'x')"));
    assertEquals("SQL error at line 1, column 14: a name may not contain '.' ('../x'); a dot separates a schema from "
        + "a name", fails("CREATE TABLE `../x` WITH ('connector' = 'memory')"));
    assertEquals("SQL error at line 1, column 13: a name has at most two parts, schema.name: 'a.b.c'",
        fails("DROP STREAM a.b.c"));
    assertEquals("SQL parse error: Encountered \"INDEX\" at line 1, column 8; expected FUNCTION, OR, STREAM, TABLE, "
        + "TEMPORARY or VIEW", fails("CREATE INDEX v"));
    assertEquals("SQL parse error: Encountered the end of the statement at line 1, column 22; expected ')', ',', "
        + "ARRAY, MULTISET, NOT, NULL, PRIMARY or UNSIGNED", fails("CREATE STREAM s (a INT"));
  }

  @Test
  void statementErrorsSayWhatToWrite() {
    assertEquals("SQL error at line 1, column 1: unknown statement 'SELEC' (did you mean SELECT?); statements start "
        + "with SELECT, WITH, INSERT, VALUES, CREATE, DROP, SHOW, DESCRIBE, EXPLAIN, SET, RESET, STOP, HELP; HELP "
        + "lists them", fails("SELEC auction FROM bid"));
    assertTrue(fails("FROM bid").startsWith("SQL error at line 1, column 1: unknown statement 'FROM'; statements "));
    assertEquals("SQL error at line 1, column 6: SHOW takes STREAMS, TABLES, VIEWS, QUERIES, QUERY name-or-id, "
        + "FUNCTIONS or CONNECTORS", fails("SHOW VIEW"));
    assertEquals("SQL error at line 1, column 9: write EXPLAIN followed by the query, e.g. EXPLAIN SELECT ...",
        fails("EXPLAIN PLAN FOR SELECT 1"));
    assertEquals("SQL error at line 1, column 10: write STOP QUERY followed by the query's name or id (SHOW QUERIES "
        + "lists them)", fails("STOP QUERY"));
    assertEquals("SQL error at line 1, column 10: expected a stream, table or view name, e.g. DESCRIBE bid",
        fails("DESCRIBE SELECT 1"));
    assertEquals("SQL error at line 1, column 9: expected a value after '=', e.g. SET 'k' = 'value'", fails("SET 'k' ="));
    assertEquals("SQL parse error: Encountered \"order\" at line 1, column 13; expected a name. 'order' is a reserved "
        + "word in SQL; to use it as a name, quote it with back-ticks: `order`", fails("INSERT INTO order VALUES 1"));
    assertEquals("SQL error at line 1, column 30: this string is not closed; end it with '",
        fails("SELECT a FROM t WHERE name = 'gone"));
    assertEquals("SQL error at line 2, column 24: this string is not closed; end it with '",
        fails("SELECT a FROM t\nWHERE a = 1 AND name = 'first line\nsecond line"));
    assertEquals("SQL error at line 1, column 15: this quoted name is not closed; end it with ` on the line where it "
        + "starts", fails("SELECT a FROM `t"));
  }

  @Test
  void positionsCountFromTheStatementsPlaceInItsScript() {
    String script = """
        CREATE STREAM s (id BIGINT, name VARCHAR) WITH ('connector' = 'memory');
        -- the second statement starts on line 3, the third after it on line 5
        SELECT id,
        \tname FROM s; SHOW STREAMS;
        SELECT id
          FROM s WHERE id >< 3;
        """;
    List<ScriptSplitter.Piece> pieces = ScriptSplitter.split(script);
    assertEquals(4, pieces.size());
    for (ScriptSplitter.Piece piece : pieces.subList(0, 3)) {
      FreshetParser.parseStatement(piece.text(), piece.line(), piece.column());
    }
    ScriptSplitter.Piece last = pieces.get(3);
    assertEquals(5, last.line());
    FreshetException e = assertThrows(FreshetException.class,
        () -> FreshetParser.parseStatement(last.text(), last.line(), last.column()));
    assertEquals("SQL parse error: Encountered \"> <\" at line 6, column 19.", e.getMessage());

    ScriptSplitter.Piece show = pieces.get(2);
    assertEquals(4, show.line());
    assertEquals(15, show.column(), "a tab counts as one column");
    FreshetException unknown = assertThrows(FreshetException.class,
        () -> FreshetParser.parseStatement("SHOWS STREAMS", show.line(), show.column()));
    assertTrue(unknown.getMessage().startsWith("SQL error at line 4, column 15: unknown statement 'SHOWS' (did you "
        + "mean SHOW?)"), unknown.getMessage());
    FreshetException type = assertThrows(FreshetException.class,
        () -> FreshetParser.parseStatement("CREATE STREAM t (a INT,\n  b DATE)", 7, 3));
    assertTrue(type.getMessage().startsWith("SQL error at line 8, column 5: unknown type 'DATE' for column 'b'"),
        type.getMessage());
  }
}
