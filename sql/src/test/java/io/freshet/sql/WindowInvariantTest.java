package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.freshet.exec.batch.Batch;
import io.freshet.sources.nexmark.NexmarkGenerator;
import io.freshet.sources.nexmark.NexmarkTable;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.Row;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariant of event-time processing: Nexmark bids cut into micro-batches at random points, with restarts
 * from the checkpoint at random points, give exactly the rows that the same SQL gives over all of the data at
 * once as a bounded input (for running totals: the result the memory table holds after the last batch).
 */
@Execution(ExecutionMode.CONCURRENT)
class WindowInvariantTest {
  private static final int EVENTS = 12_000;
  private static final long BASE = LocalDateTime.of(2026, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
  /** Far enough after the data that it closes every window of the data, and only its own windows stay open. */
  private static final long SENTINEL_GAP_MS = 3_600_000;
  private static final String COLUMNS = "(auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
      + "dateTime TIMESTAMP(3), extra VARCHAR";

  static List<String> queries() {
    return List.of(
        "SELECT window_start, window_end, auction, COUNT(*), SUM(price), MAX(price), MIN(channel), AVG(price), "
            + "COUNT(DISTINCT bidder) FROM TABLE(TUMBLE(TABLE %s, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) "
            + "GROUP BY window_start, window_end, auction",
        "SELECT window_start, window_end, channel, COUNT(*), APPROX_COUNT_DISTINCT(bidder), MIN(price) "
            + "FROM TABLE(HOP(TABLE %s, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) "
            + "GROUP BY window_start, window_end, channel",
        "SELECT window_start, window_end, bidder, COUNT(*), SUM(price) FROM TABLE(SESSION(TABLE %s PARTITION BY "
            + "bidder, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end, bidder",
        "SELECT window_start, auction, c, r FROM (SELECT window_start, window_end, auction, c, RANK() OVER ("
            + "PARTITION BY window_start, window_end ORDER BY c DESC) AS r FROM (SELECT window_start, window_end, "
            + "auction, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE %s, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) "
            + "GROUP BY window_start, window_end, auction)) WHERE r <= 3",
        "WITH w AS (SELECT window_time AS wt, channel, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE %s, "
            + "DESCRIPTOR(dateTime), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, window_time, channel) "
            + "SELECT window_start, window_end, SUM(c), MAX(c) FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(wt), "
            + "INTERVAL '30' SECOND)) GROUP BY window_start, window_end",
        // Running totals of running totals: the outer aggregation takes each auction's earlier count back out.
        "SELECT n, COUNT(*), SUM(total), AVG(total) FROM (SELECT auction, COUNT(*) AS n, SUM(price) AS total "
            + "FROM %s WHERE channel <> 'sentinel' GROUP BY auction) GROUP BY n",
        // Top-N without a window, over running totals and over the bids themselves.
        "SELECT rn, auction, n FROM (SELECT auction, n, ROW_NUMBER() OVER (ORDER BY n DESC, auction) AS rn FROM "
            + "(SELECT auction, COUNT(*) AS n FROM %s WHERE channel <> 'sentinel' GROUP BY auction)) WHERE rn <= 5",
        "SELECT bidder, r, price FROM (SELECT bidder, price, RANK() OVER (PARTITION BY bidder ORDER BY price DESC) "
            + "AS r FROM %s WHERE channel <> 'sentinel') WHERE r <= 2",
        // Interval joins (a stream joined with itself): inner under a window, left and full outer.
        "WITH j AS (SELECT x.auction, x.price AS p1, y.price AS p2, x.dateTime FROM %1$s x JOIN %1$s y "
            + "ON x.auction = y.auction AND y.dateTime > x.dateTime AND y.dateTime <= x.dateTime + INTERVAL '1' "
            + "SECOND) SELECT window_start, window_end, COUNT(*), SUM(p2 - p1), MAX(auction) FROM TABLE(TUMBLE("
            + "TABLE j, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY window_start, window_end",
        "SELECT x.bidder, x.auction, x.price, y.auction, y.price FROM %1$s x LEFT JOIN %1$s y ON x.bidder = y.bidder "
            + "AND y.dateTime > x.dateTime AND y.dateTime < x.dateTime + INTERVAL '0.5' SECOND "
            + "WHERE x.channel <> 'sentinel'",
        "SELECT x.auction, x.price, y.price FROM (SELECT * FROM %1$s WHERE MOD(price, 3) = 0) x FULL JOIN "
            + "(SELECT * FROM %1$s WHERE MOD(price, 3) = 1) y ON x.auction = y.auction AND y.dateTime BETWEEN "
            + "x.dateTime - INTERVAL '1' SECOND AND x.dateTime - INTERVAL '0.2' SECOND",
        // OVER aggregations: each bid with its auction's bids of the last 2 seconds (a RANGE frame, whose peers
        // include each other), and with its bidder's bids so far (the default frame). The sentinel never comes
        // out: the watermark does not pass it.
        "SELECT auction, price, dateTime, COUNT(*) OVER w, SUM(price) OVER w, MAX(price) OVER w, MIN(bidder) OVER w "
            + "FROM %s WINDOW w AS (PARTITION BY auction ORDER BY dateTime RANGE BETWEEN INTERVAL '2' SECOND "
            + "PRECEDING AND CURRENT ROW)",
        "SELECT bidder, price, COUNT(*) OVER w, SUM(price) OVER w, AVG(price) OVER w, MIN(channel) OVER w, "
            + "MAX(dateTime) OVER w FROM %s WINDOW w AS (PARTITION BY bidder ORDER BY dateTime)",
        // Deduplication: each bidder's first bid (append) and last bid (update), by event time.
        "SELECT bidder, auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY dateTime) "
            + "AS rn FROM %s WHERE channel <> 'sentinel') WHERE rn = 1",
        "SELECT bidder, auction, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY dateTime "
            + "DESC) AS rn FROM %s WHERE channel <> 'sentinel') WHERE rn <= 1");
  }

  /** The interval joins of {@link #queries()}. */
  static final int[] JOINS = {8, 9, 10};
  /** The deduplications of {@link #queries()}: keep-first, then keep-last. */
  static final int[] DEDUPLICATIONS = {13, 14};

  /** The OVER aggregations of {@link #queries()}. */
  static final int[] OVERS = {11, 12};

  private FreshetSession session;
  /** Each run reads a stream of its own. */
  private int streams;
  private List<Row> bids;

  @BeforeEach
  void setUp() {
    // Two partitions: the windows' keys go through the exchange, and each partition's state is checkpointed.
    session = FreshetSession.builder().master("local[2]").create();
    session.sql("CREATE TABLE everything " + COLUMNS + ") WITH ('connector' = 'nexmark', 'table' = 'bid', "
        + "'events' = '" + EVENTS + "', 'seed' = '7', 'events-per-second' = '200', 'out-of-order-group-size' = '40', "
        + "'base-time' = '2026-01-01 00:00:00')");
    try (RootAllocator allocator = new RootAllocator();
        Batch all = new NexmarkGenerator(7, 200, 40).generateBatch(NexmarkTable.BID, NexmarkTable.BID.schema(), BASE,
            0, EVENTS, allocator)) {
      bids = all.rows();
    }
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @ParameterizedTest
  @MethodSource("queries")
  void randomBatchesAndRestartsGiveTheBoundedAnswer(String query) {
    check(query, null);
  }

  /** Sessions in update mode: the rows of sessions that grew or merged are replaced, leaving the final sessions. */
  @org.junit.jupiter.api.Test
  void sessionsInUpdateModeEndWithTheBoundedAnswer() {
    check(queries().get(2), io.freshet.streaming.OutputMode.UPDATE);
  }

  /**
   * With their state in RocksDB: tumbling windows with COUNT(DISTINCT ...), hopping windows, sessions (in append
   * and update mode), a window Top-N and a cascade over window aggregations (whose windows are found in RocksDB by
   * their close time), running totals and a Top-N over them.
   */
  @org.junit.jupiter.api.Test
  void windowsRunningTotalsAndTopNInRocksDbGiveTheBoundedAnswer() {
    session.sql("SET 'state-store' = 'rocksdb'");
    for (int q : new int[] {0, 1, 2, 3, 4, 5, 6, 7}) {
      check(queries().get(q), null);
    }
    check(queries().get(2), io.freshet.streaming.OutputMode.UPDATE);
  }

  /** OVER aggregations with their held rows and frames in RocksDB. */
  @org.junit.jupiter.api.Test
  void overAggregationsInRocksDbGiveTheBoundedAnswer() {
    session.sql("SET 'state-store' = 'rocksdb'");
    for (int q : OVERS) {
      check(queries().get(q), null);
    }
  }

  /** Keeping the last bid per bidder in update mode, with its rows in memory and in RocksDB. */
  @org.junit.jupiter.api.Test
  void keepingTheLastRowInUpdateModeEndsWithTheBoundedAnswer() {
    check(queries().get(DEDUPLICATIONS[1]), io.freshet.streaming.OutputMode.UPDATE, false);
    session.sql("SET 'state-store' = 'rocksdb'");
    check(queries().get(DEDUPLICATIONS[1]), io.freshet.streaming.OutputMode.UPDATE, false);
  }

  /** Deduplications with their markers, pending rows and kept rows in RocksDB. */
  @org.junit.jupiter.api.Test
  void deduplicationsInRocksDbGiveTheBoundedAnswer() {
    session.sql("SET 'state-store' = 'rocksdb'");
    for (int q : DEDUPLICATIONS) {
      check(queries().get(q), null);
    }
  }

  /** Interval joins with their rows in RocksDB. */
  @org.junit.jupiter.api.Test
  void intervalJoinsInRocksDbGiveTheBoundedAnswer() {
    session.sql("SET 'state-store' = 'rocksdb'");
    for (int q : JOINS) {
      check(queries().get(q), null);
    }
  }

  private void check(String query, io.freshet.streaming.OutputMode mode) {
    check(query, mode, mode != null);
  }

  /**
   * Checks {@code query} in output mode {@code mode} (its default when null); {@code sentinelSession}: the answer
   * also shows the sentinel's own session, still open (sessions in update mode).
   */
  private void check(String query, io.freshet.streaming.OutputMode mode, boolean sentinelSession) {
    List<Row> expected = session.sql(String.format(query, "everything")).collectAsList();
    assertFalse(expected.isEmpty());
    for (long seed : new long[] {1, 2}) {
      String live = "live" + seed + "_" + (++streams);
      session.sql("CREATE STREAM " + live + " " + COLUMNS + ", WATERMARK FOR dateTime AS dateTime - "
          + "INTERVAL '2' SECOND) WITH ('connector' = 'memory')");
      Random random = new Random(seed);
      List<StreamTest.Action> actions = new ArrayList<>();
      int position = 0;
      while (position < bids.size()) {
        int end = Math.min(bids.size(), position + 1 + random.nextInt(bids.size() / 6));
        actions.add(StreamTest.addData(live, bids.subList(position, end).toArray(new Row[0])));
        actions.add(StreamTest.processAllAvailable());
        if (random.nextInt(3) == 0) {
          actions.add(StreamTest.stopStream());
          actions.add(StreamTest.startStream());
        }
        position = end;
      }
      long last = bids.stream().mapToLong(r -> r.getTimestamp(5).toInstant(ZoneOffset.UTC).toEpochMilli()).max()
          .getAsLong();
      LocalDateTime sentinel = LocalDateTime.ofEpochSecond((last + SENTINEL_GAP_MS) / 1000, 0, ZoneOffset.UTC);
      actions.add(StreamTest.addData(live, Row.of(0L, 0L, 0L, "sentinel", "", sentinel, "")));
      List<Row> answer = new ArrayList<>(expected);
      if (sentinelSession) {
        // Update mode also shows the sentinel's own session, still open.
        answer.add(Row.of(sentinel, sentinel.plusSeconds(1), 0L, 1L, 0L));
      }
      actions.add(StreamTest.checkAnswer(answer.toArray(new Row[0])));
      StreamTest test = StreamTest.of(session, String.format(query, live));
      (mode == null ? test : test.outputMode(mode)).run(actions.toArray(new StreamTest.Action[0]));
    }
  }

  /** The bids as Calcite's batch engine reads them: timestamps as epoch milliseconds. */
  private static final class BidTable extends org.apache.calcite.schema.impl.AbstractTable
      implements org.apache.calcite.schema.ScannableTable {
    private final List<Object[]> rows = new ArrayList<>();

    BidTable(List<Row> bids) {
      for (Row r : bids) {
        rows.add(new Object[] {r.getLong(0), r.getLong(1), r.getLong(2), r.getString(3), r.getString(4),
            r.getTimestamp(5).toInstant(ZoneOffset.UTC).toEpochMilli(), r.getString(6)});
      }
    }

    @Override
    public org.apache.calcite.rel.type.RelDataType getRowType(org.apache.calcite.rel.type.RelDataTypeFactory f) {
      var varchar = f.createTypeWithNullability(f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR),
          true);
      var bigint = f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.BIGINT);
      return f.builder().add("auction", bigint).add("bidder", bigint).add("price", bigint).add("channel", varchar)
          .add("url", varchar).add("dateTime", f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP, 3))
          .add("extra", varchar).build();
    }

    @Override
    public org.apache.calcite.linq4j.Enumerable<Object[]> scan(org.apache.calcite.DataContext root) {
      return org.apache.calcite.linq4j.Linq4j.asEnumerable(rows);
    }
  }

  /** Runs {@code sql} (window start and end first, then numbers) on Calcite's own batch engine. */
  private List<String> calcite(String sql) throws java.sql.SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("caseSensitive", "false");
    props.setProperty("timeZone", "UTC");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:calcite:", props)) {
      var calcite = c.unwrap(org.apache.calcite.jdbc.CalciteConnection.class);
      calcite.getRootSchema().add("bids", new BidTable(bids));
      List<String> out = new ArrayList<>();
      try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder sb = new StringBuilder();
          sb.append(rs.getTimestamp(1).toLocalDateTime()).append(',').append(rs.getTimestamp(2).toLocalDateTime());
          for (int i = 3; i <= n; i++) {
            sb.append(',').append(rs.getLong(i));
          }
          out.add(sb.toString());
        }
      }
      java.util.Collections.sort(out);
      return out;
    }
  }

  private List<String> freshet(String sql) {
    List<String> out = new ArrayList<>();
    for (Row r : session.sql(sql).collectAsList()) {
      StringBuilder sb = new StringBuilder();
      sb.append(r.getTimestamp(0)).append(',').append(r.getTimestamp(1));
      for (int i = 2; i < r.size(); i++) {
        sb.append(',').append(((Number) r.get(i)).longValue());
      }
      out.add(sb.toString());
    }
    java.util.Collections.sort(out);
    return out;
  }

  /**
   * Running totals of running totals, the Top-N queries and the deduplications, over all the bids as a bounded
   * table, against Calcite's batch engine: with the random-batches test above, the streaming answers are Calcite's too.
   */
  @org.junit.jupiter.api.Test
  void runningTotalsAndTopNMatchCalcitesBatchEngine() throws Exception {
    for (int q : new int[] {5, 6, 7, DEDUPLICATIONS[0], DEDUPLICATIONS[1]}) {
      String sql = queries().get(q);
      // Calcite's own parser takes DATETIME for a keyword there: it reads the column quoted.
      List<String> expected = calciteNumbers(String.format(sql, "bids").replace("ORDER BY dateTime",
          "ORDER BY \"dateTime\""));
      assertFalse(expected.isEmpty());
      List<String> actual = new ArrayList<>();
      for (Row r : session.sql(String.format(sql, "everything")).collectAsList()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          values.add(String.valueOf(((Number) r.get(i)).longValue()));
        }
        actual.add(String.join(",", values));
      }
      java.util.Collections.sort(actual);
      org.junit.jupiter.api.Assertions.assertEquals(expected, actual, sql);
    }
  }

  /**
   * The OVER aggregations, without their text and time columns, over all the bids as a bounded table, against
   * Calcite's batch engine: a RANGE frame reaches back to exactly 2 seconds before the row and takes in its peers.
   */
  @org.junit.jupiter.api.Test
  void overAggregationsMatchCalcitesBatchEngine() throws Exception {
    String[] queries = {
        "SELECT auction, price, COUNT(*) OVER w, SUM(price) OVER w, MAX(price) OVER w, MIN(bidder) OVER w FROM %s "
            + "WINDOW w AS (PARTITION BY auction ORDER BY dateTime RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND "
            + "CURRENT ROW)",
        "SELECT bidder, price, COUNT(*) OVER w, SUM(price) OVER w, AVG(price) OVER w FROM %s WINDOW w AS (PARTITION "
            + "BY bidder ORDER BY dateTime)"};
    for (String q : queries) {
      List<String> expected = calciteNumbers(String.format(q, "bids").replace("dateTime", "\"dateTime\""));
      assertFalse(expected.isEmpty());
      List<String> actual = new ArrayList<>();
      for (Row r : session.sql(String.format(q, "everything")).collectAsList()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          values.add(String.valueOf(((Number) r.get(i)).longValue()));
        }
        actual.add(String.join(",", values));
      }
      java.util.Collections.sort(actual);
      org.junit.jupiter.api.Assertions.assertEquals(expected, actual, q);
    }
  }

  /** Runs {@code sql}, whose columns are all whole numbers, on Calcite's own batch engine. */
  private List<String> calciteNumbers(String sql) throws java.sql.SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("caseSensitive", "false");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:calcite:", props)) {
      c.unwrap(org.apache.calcite.jdbc.CalciteConnection.class).getRootSchema().add("bids", new BidTable(bids));
      List<String> out = new ArrayList<>();
      try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> values = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            values.add(String.valueOf(rs.getLong(i)));
          }
          out.add(String.join(",", values));
        }
      }
      java.util.Collections.sort(out);
      return out;
    }
  }

  @org.junit.jupiter.api.Test
  void windowAggregatesMatchCalcitesBatchEngine() throws Exception {
    String[] queries = {
        "SELECT window_start, window_end, auction, COUNT(*), SUM(price), MAX(price), MIN(bidder) FROM TABLE("
            + "TUMBLE(TABLE %s, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, auction",
        "SELECT window_start, window_end, COUNT(*), COUNT(DISTINCT bidder), SUM(price) FROM TABLE(HOP(TABLE %s, "
            + "DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end"};
    for (String q : queries) {
      List<String> expected = calcite(String.format(q, "bids").replace("dateTime", "\"dateTime\""));
      assertFalse(expected.isEmpty());
      org.junit.jupiter.api.Assertions.assertEquals(expected, freshet(String.format(q, "everything")), q);
    }
  }
}
