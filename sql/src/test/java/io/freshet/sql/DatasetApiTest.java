package io.freshet.sql;

import static io.freshet.sql.BidRows.bid;
import static io.freshet.sql.BidRows.time;
import static io.freshet.sql.functions.col;
import static io.freshet.sql.functions.count;
import static io.freshet.sql.functions.expr;
import static io.freshet.sql.functions.max;
import static io.freshet.sql.functions.session_window;
import static io.freshet.sql.functions.sum;
import static io.freshet.sql.functions.window;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.types.RowSchema;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Dataset operations (select, filter, groupBy with window and session_window, join, union, dropDuplicates,
 * withWatermark), planned from the Java API straight into the logical plan: each gives the physical plan of the SQL
 * that says the same, and the answers of a program driven batch by batch.
 */
class DatasetApiTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").create();
    session.sql(BidRows.BIDS);
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  /** The physical plan EXPLAIN shows, without Calcite's logical plan (whose text differs in names only). */
  private static String physical(Dataset d) {
    String text = d.explain();
    return text.substring(text.indexOf("== Physical plan"));
  }

  interface Build {
    Dataset apply(Dataset bids);
  }

  static Stream<Arguments> sameAsSql() {
    return Stream.of(
        Arguments.of("filter and select", (Build) b -> b.filter(col("price").gt(100))
            .select(col("auction"), col("price").multiply(2).as("doubled")),
            "SELECT auction, price * 2 AS doubled FROM bids WHERE price > 100"),
        Arguments.of("selectExpr and a SQL filter", (Build) b -> b.filter("price > 100 AND auction <> 7")
            .selectExpr("auction", "price * 2 AS doubled"),
            "SELECT auction, price * 2 AS doubled FROM bids WHERE price > 100 AND auction <> 7"),
        Arguments.of("tumbling window count", (Build) b -> b.groupBy(window(col("ts"), "10 seconds"),
            col("auction")).count(),
            "SELECT window_start, window_end, auction, COUNT(*) AS `count` FROM TABLE(TUMBLE(TABLE bids, "
                + "DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, auction"),
        Arguments.of("hopping window aggregates", (Build) b -> b.groupBy(window(col("ts"), "10 seconds",
            "5 seconds")).agg(sum("price"), max("price").as("top")),
            "SELECT window_start, window_end, SUM(price) AS `sum(price)`, MAX(price) AS top FROM TABLE(HOP(TABLE "
                + "bids, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, "
                + "window_end"),
        Arguments.of("session window", (Build) b -> b.groupBy(session_window(col("ts"), "5 seconds"),
            col("auction")).agg(count("*").as("bids")),
            "SELECT window_start, window_end, auction, COUNT(*) AS bids FROM TABLE(SESSION(TABLE bids PARTITION "
                + "BY auction, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, auction"),
        Arguments.of("running aggregate", (Build) b -> b.groupBy("auction").agg(sum("price"), expr("max(price)")),
            "SELECT auction, SUM(price), MAX(price) FROM bids GROUP BY auction"),
        Arguments.of("dropDuplicates", (Build) b -> b.dropDuplicates("auction"),
            "SELECT auction, price, ts FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts) AS rn "
                + "FROM bids) WHERE rn = 1"),
        Arguments.of("union", (Build) b -> b.select("auction").union(b.select("price")),
            "SELECT auction FROM bids UNION ALL SELECT price FROM bids"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void sameAsSql(String what, Build build, String sql) {
    Dataset built = build.apply(session.table("bids"));
    Dataset written = session.sql(sql);
    assertEquals(physical(written), physical(built));
    assertEquals(written.columns().size(), built.columns().size());
    assertEquals(written.plan().defaultMode(), built.plan().defaultMode());
  }

  @Test
  void columnsAreNamedAsSparkNamesThem() {
    Dataset bids = session.table("bids");
    assertEquals(List.of("window_start", "window_end", "auction", "count"),
        bids.groupBy(window(col("ts"), "10 seconds"), col("auction")).count().columns());
    assertEquals(List.of("auction", "sum(price)", "max(price)"),
        bids.groupBy("auction").agg(sum("price"), expr("max(price)")).columns());
    assertEquals(List.of("auction", "doubled", "(price + 1)"),
        bids.select(col("auction"), expr("price * 2 AS doubled"), col("price").plus(1)).columns());
    assertEquals(List.of("auction", "price", "ts", "cents"),
        bids.withColumn("cents", col("price").multiply(100)).columns());
    assertEquals(List.of("auction", "ts"), bids.drop("price").columns());
  }

  @Test
  void operationsApplyToSqlQueriesAndViewsToo() {
    session.sql("CREATE VIEW cheap AS SELECT auction, price, ts FROM bids WHERE price < 100");
    Dataset fromSql = session.sql("SELECT auction, price, ts FROM bids WHERE price < 100")
        .groupBy(window(col("ts"), "10 seconds")).agg(max("price"));
    Dataset fromView = session.table("cheap").groupBy(window(col("ts"), "10 seconds")).agg(max("price"));
    Dataset written = session.sql("SELECT window_start, window_end, MAX(price) FROM TABLE(TUMBLE(TABLE cheap, "
        + "DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end");
    assertEquals(physical(written), physical(fromSql));
    assertEquals(physical(written), physical(fromView));
    StreamTest.of(session, "operations over a view", () -> fromView).outputMode(OutputMode.APPEND).run(
        addData("bids", bid(1, 10, 1), bid(2, 200, 2), bid(3, 30, 3), bid(4, 40, 15)),
        checkAnswer(Row.of(time(0), time(10), 30L)));
  }

  /** A tumbling window count per auction: as written, one row per batch, and restarted after every batch. */
  @ParameterizedTest
  @ValueSource(strings = {"local[1]", "local[3]"})
  void windowedCountsThreeWays(String master) {
    session.close();
    session = FreshetSession.builder().master(master).create();
    session.sql(BidRows.BIDS);
    Supplier<Dataset> counts = () -> session.table("bids").filter(col("price").geq(10))
        .groupBy(window(col("ts"), "10 seconds"), col("auction")).agg(count("*").as("n"), sum("price"));
    List<Row> first = List.of(bid(1, 10, 1), bid(2, 20, 2), bid(1, 5, 3), bid(1, 30, 9));
    List<Row> second = List.of(bid(2, 40, 12), bid(1, 50, 25));
    Row[] later = {Row.of(time(0), time(10), 1L, 2L, 40L), Row.of(time(0), time(10), 2L, 1L, 20L), Row.of(time(10), time(20), 2L, 1L, 40L)};
    for (int way = 0; way < 3; way++) {
      StreamTest test = StreamTest.of(session, "window counts, way " + way, counts)
          .outputMode(OutputMode.APPEND);
      if (way == 2) {
        test.restartAfterEveryAction();
      }
      List<StreamTest.Action> actions = new ArrayList<>();
      if (way == 1) {
        for (Row r : first) {
          actions.add(addData("bids", r));
        }
        actions.add(checkAnswer());
        for (Row r : second) {
          actions.add(addData("bids", r));
        }
      } else {
        actions.add(addData("bids", first.toArray(new Row[0])));
        actions.add(checkAnswer());
        actions.add(addData("bids", second.toArray(new Row[0])));
      }
      actions.add(checkAnswer(later));
      test.run(actions.toArray(new StreamTest.Action[0]));
      session.sql("DROP STREAM bids");
      session.sql(BidRows.BIDS);
    }
  }

  @Test
  void joinsAStreamWithATableOnAColumnOrACondition() {
    session.createDataFrame(List.of(Row.of(1L, "lamp"), Row.of(2L, "desk")),
        new RowSchema(List.of(io.freshet.exec.types.Column.of("auction", io.freshet.exec.types.TypeKind.BIGINT),
            io.freshet.exec.types.Column.of("item", io.freshet.exec.types.TypeKind.VARCHAR))))
        .createOrReplaceTempView("auctions");
    Dataset bids = session.table("bids");
    Dataset auctions = session.table("auctions");
    Dataset using = bids.join(auctions, "auction");
    assertEquals(List.of("auction", "price", "ts", "item"), using.columns());
    Dataset on = bids.as("b").join(auctions.as("a"), col("b.auction").equalTo(col("a.auction")), "left_outer")
        .select(col("b.auction"), col("price"), col("item"));
    Dataset joined = bids.join(auctions, bids.col("auction").equalTo(auctions.col("auction")));
    // Both sides' columns; a query's names are unique, so the right side's auction is auction0.
    assertEquals(List.of("auction", "price", "ts", "auction0", "item"), joined.columns());
    Dataset byDataset = joined.select(bids.col("auction"), auctions.col("item"));
    StreamTest.of(session, "join using", () -> using.select("auction", "item")).run(
        addData("bids", bid(1, 10, 1), bid(3, 20, 2), bid(2, 30, 3)),
        checkAnswer(Row.of(1L, "lamp"), Row.of(2L, "desk")));
    StreamTest.of(session, "left outer join", () -> on).run(
        addData("bids", bid(3, 20, 4)),
        checkAnswer(Row.of(1L, 10L, "lamp"), Row.of(3L, 20L, null), Row.of(2L, 30L, "desk"),
            Row.of(3L, 20L, null)));
    StreamTest.of(session, "join on Dataset columns", () -> byDataset).run(
        checkAnswer(Row.of(1L, "lamp"), Row.of(2L, "desk")));
  }

  @Test
  void aDatasetBuiltWithOperationsIsAViewThatSqlReads() {
    session.table("bids").filter(col("price").gt(15)).withColumn("cents", col("price").multiply(100))
        .createOrReplaceTempView("expensive");
    session.sql("CREATE VIEW expensive_sql AS SELECT *, price * 100 AS cents FROM bids WHERE price > 15");
    String windowed = "SELECT window_start, COUNT(*) AS n, SUM(cents) AS cents FROM TABLE(TUMBLE(TABLE %s, "
        + "DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
    assertEquals(physical(session.sql(String.format(windowed, "expensive_sql"))),
        physical(session.sql(String.format(windowed, "expensive"))));
    StreamTest.of(session, String.format(windowed, "expensive")).outputMode(OutputMode.APPEND).run(
        addData("bids", bid(1, 10, 1), bid(2, 20, 2), bid(3, 30, 3)),
        checkAnswer(),
        addData("bids", bid(4, 40, 12)),
        checkAnswer(Row.of(time(0), 2L, 5000L)));
    assertTrue(session.sql("SHOW VIEWS").collectAsList().contains(Row.of("expensive")));
    assertEquals(List.of("auction", "price", "ts", "cents"), session.sql("DESCRIBE expensive").collectAsList()
        .stream().map(r -> r.getString(0)).toList());
    session.sql("DROP VIEW expensive");
    assertMessage(() -> session.sql("SELECT * FROM expensive"), "No stream, table or view named 'expensive'");
  }

  @Test
  void withWatermarkGivesAStreamEventTime() {
    session.sql("CREATE STREAM raw (auction BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'memory')");
    Supplier<Dataset> counts = () -> session.table("raw").select("auction", "ts").withWatermark("ts", "2 seconds")
        .groupBy(window(col("ts"), "10 seconds")).count();
    StreamTest.of(session, "withWatermark", counts).outputMode(OutputMode.APPEND).run(
        addData("raw", Row.of(1L, time(1)), Row.of(2L, time(5))),
        checkAnswer(),
        // The watermark reaches 10 s only at 12 s: the window of 0-10 s closes then, not at 11 s.
        addData("raw", Row.of(3L, time(11))),
        checkAnswer(),
        addData("raw", Row.of(4L, time(12))),
        checkAnswer(Row.of(time(0), time(10), 2L)));
    // The stream of the catalog keeps no watermark: only the Dataset's query has one.
    String describe = session.sql("DESCRIBE raw").collectAsList().toString();
    assertTrue(!describe.contains("INTERVAL"), describe);
    FreshetException computed = assertThrows(FreshetException.class, () -> session.table("raw")
        .select(col("ts").cast("VARCHAR").as("t")).withWatermark("t", "1 second"));
    assertTrue(computed.getMessage().contains("'t' is computed here"), computed.getMessage());
  }

  @Test
  void foreachBatchGetsEachBatchAsADataset() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    StreamingQuery query = session.table("bids").writeStream().foreachBatch((batch, id) -> seen.add(id + ": "
        + batch.count() + " bids, " + batch.filter(col("price").gt(15)).count() + " over 15, top "
        + batch.agg(max("price")).collectAsList().get(0).get(0))).start();
    try {
      session.memoryStream("bids").addData(List.of(bid(1, 10, 1), bid(2, 20, 2), bid(3, 30, 3)));
      query.processAllAvailable();
      session.memoryStream("bids").addData(List.of(bid(1, 5, 4)));
      query.processAllAvailable();
    } finally {
      query.stop();
    }
    assertEquals(List.of("0: 3 bids, 2 over 15, top 30", "1: 1 bids, 0 over 15, top 5"), seen);
  }

  @Test
  void mistakesAreNamedWithWhatToDo() {
    Dataset bids = session.table("bids");
    assertMessage(() -> bids.select(col("pricee")), "No column named 'pricee'", "did you mean price");
    assertMessage(() -> bids.select(window(col("ts"), "10 seconds")), "a window is a grouping key");
    assertMessage(() -> bids.groupBy("auction").agg(col("price")), "agg(...) takes aggregates");
    assertMessage(() -> bids.select("auction").union(bids), "union needs the same number of columns");
    assertMessage(() -> bids.join(bids, col("auction").equalTo(col("auction"))), "is ambiguous");
    assertMessage(() -> bids.select("auction", "price").dropDuplicates("auction"), "event-time column");
    assertMessage(() -> bids.groupBy(window(col("ts"), "ten seconds")).count(), "window duration",
        "Cannot read the interval");
    assertMessage(() -> bids.join(bids, List.of("auction"), "sideways"), "Unknown join type 'sideways'");
    assertMessage(() -> bids.select(expr("nope(price)")), "nope");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
    FreshetException e = assertThrows(FreshetException.class, call);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }
}
