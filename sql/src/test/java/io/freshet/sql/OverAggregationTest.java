package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user sees of an OVER aggregation as it runs: each row once, when the watermark passes its time, with the
 * aggregates of its frame; late rows dropped and counted; state that keeps only what frames still need, and moves
 * with its partitions when their number changes.
 */
class OverAggregationTest {
  private static final String LAST_THREE = "SELECT auction, price, COUNT(*) OVER w AS n, SUM(price) OVER w AS total "
      + "FROM bid WINDOW w AS (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)";
  private static final String LAST_TEN_SECONDS = "SELECT auction, price, COUNT(*) OVER w AS n, SUM(price) OVER w "
      + "AS total FROM bid WINDOW w AS (PARTITION BY auction ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND "
      + "PRECEDING AND CURRENT ROW)";

  private FreshetSession session;

  void open(String store, int partitions) {
    session = FreshetSession.builder().master("local[" + partitions + "]").create();
    session.conf().set("state-store", store);
    session.sql("CREATE STREAM bid (auction BIGINT, price BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @BeforeEach
  void defaults() {
    open("memory", 1);
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private void reopen(String setting) {
    String[] parts = setting.split(" ");
    session.close();
    open(parts[0], Integer.parseInt(parts[1]));
  }

  private static LocalDateTime at(int seconds) {
    return LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(seconds);
  }

  private static Row bid(long auction, long price, int second) {
    return Row.of(auction, price, at(second));
  }

  /** The OVER aggregation's figures in the last batch (its only stateful operator). */
  private static StateOperatorProgress state(StreamingQuery q) {
    return q.lastProgress().stateOperators().get(0);
  }

  private static StreamTest.Action stateRows(long rows) {
    return assertOnQuery(rows + " rows held or in frames", q -> state(q).numRowsTotal() == rows);
  }

  private static StreamTest.Action dropped(long rows) {
    return assertOnQuery(rows + " rows dropped as late", q -> state(q).numRowsDroppedByWatermark() == rows);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory 1", "rocksdb 1", "memory 2", "rocksdb 2"})
  void rowsComeOutOnceTheWatermarkPassesThemAndLateRowsAreCounted(String setting) {
    reopen(setting);
    StreamTest.of(session, LAST_THREE).run(
        // The watermark (3 s - 5 s) has passed nothing: the rows wait.
        addData("bid", bid(1, 10, 1), bid(1, 11, 3), bid(2, 20, 2)),
        checkNewAnswer(),
        stateRows(3),
        // The watermark is 4 s: the rows before it come out, in order of time per auction. Auction 1 keeps its last
        // two rows for the rows to come, auction 2 its one; the row at 9 s waits.
        addData("bid", bid(1, 12, 9)),
        checkNewAnswer(Row.of(1L, 10L, 1L, 10L), Row.of(1L, 11L, 2L, 21L), Row.of(2L, 20L, 1L, 20L)),
        stateRows(1 + 3),
        // A bid at 2 s, older than the watermark: dropped and counted.
        addData("bid", bid(1, 13, 2)),
        checkNewAnswer(),
        dropped(1),
        addData("bid", bid(3, 30, 20)),
        checkNewAnswer(Row.of(1L, 12L, 3L, 33L)),
        dropped(0),
        checkAnswer(Row.of(1L, 10L, 1L, 10L), Row.of(1L, 11L, 2L, 21L), Row.of(2L, 20L, 1L, 20L),
            Row.of(1L, 12L, 3L, 33L)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory 1", "rocksdb 2"})
  void aRangeFrameForgetsTheRowsTheWatermarkLeavesBehind(String setting) {
    reopen(setting);
    StreamTest.of(session, LAST_TEN_SECONDS).run(
        // The watermark is 15 s: no row to come (at 15 s or later) reaches back to 1 s or 2 s, so only the row at
        // 20 s is left.
        addData("bid", bid(1, 10, 1), bid(1, 11, 2), bid(1, 12, 20)),
        checkNewAnswer(Row.of(1L, 10L, 1L, 10L), Row.of(1L, 11L, 2L, 21L)),
        stateRows(1),
        // The row at 20 s reaches back to 10 s, the one at 24 s to 14 s: both in the frame of 24 s; the watermark
        // (25 s) keeps them for rows from 25 s on.
        addData("bid", bid(1, 13, 24), bid(1, 14, 30)),
        checkNewAnswer(Row.of(1L, 12L, 1L, 12L), Row.of(1L, 13L, 2L, 25L)),
        stateRows(3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void heldRowsAndFramesMoveToAnotherNumberOfPartitions(String store) {
    session.close();
    open(store, 3);
    String query = "SELECT auction, price, SUM(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 2 "
        + "PRECEDING AND CURRENT ROW) AS total FROM bid";
    List<Row> expected = new ArrayList<>();
    long[] totals = {1, 3, 6, 9};
    for (long a = 0; a < 20; a++) {
      for (int i = 0; i < totals.length; i++) {
        expected.add(Row.of(a, i + 1L, totals[i]));
      }
    }
    StreamTest.of(session, query).run(
        // Held rows move, then frames, then both.
        addData("bid", prices(1, 1, 2, 2)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(2),
        startStream(),
        addData("bid", prices(3, 10)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(5),
        startStream(),
        addData("bid", prices(4, 20)),
        StreamTest.processAllAvailable(),
        stopStream(),
        parallelism(1),
        startStream(),
        addData("bid", prices(5, 30)),
        checkAnswer(expected.toArray(new Row[0])));
  }

  private StreamTest.Action parallelism(int n) {
    return StreamTest.parallelism(session, n);
  }

  /** For each of 20 auctions, a bid of each (price, second) pair given. */
  private static Row[] prices(int... priceAndSecond) {
    List<Row> rows = new ArrayList<>();
    for (long a = 0; a < 20; a++) {
      for (int i = 0; i < priceAndSecond.length; i += 2) {
        rows.add(bid(a, priceAndSecond[i], priceAndSecond[i + 1]));
      }
    }
    return rows.toArray(new Row[0]);
  }

  @Test
  void overAWindowAggregationOrderedByWindowTime() {
    String query = "SELECT window_start, auction, n, SUM(n) OVER (PARTITION BY auction ORDER BY window_time ROWS "
        + "BETWEEN 1 PRECEDING AND CURRENT ROW) AS two FROM (SELECT window_start, window_time, auction, COUNT(*) AS n "
        + "FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, "
        + "window_time, auction)";
    StreamTest.of(session, query).run(
        addData("bid", bid(1, 1, 1), bid(1, 1, 2), bid(2, 1, 3)),
        addData("bid", bid(1, 1, 12)),
        addData("bid", bid(1, 1, 25)),
        checkAnswer(Row.of(at(0), 1L, 2L, 2L), Row.of(at(0), 2L, 1L, 1L), Row.of(at(10), 1L, 1L, 3L)));
  }

  @Test
  void explainShowsTheFrameAndTheHashOnThePartition() {
    // EXPLAIN breaks lines to fit 120 columns: compared as one line.
    String plan = ((StatementResult.Text) session.execute("EXPLAIN " + LAST_TEN_SECONDS, 1, 1)).text()
        .replaceAll("\\s+", " ");
    assertTrue(plan.contains("OverAggregate(partition=[0], order=$2, RANGE BETWEEN 10000 ms PRECEDING AND CURRENT "
        + "ROW, aggregates=[COUNT(*), COUNT($1), SUM($1)])"), plan);
    assertTrue(plan.contains("by hash[0]"), plan);
  }

  @Test
  void completeModeAndFramesPastTheCurrentRowAreRefused() {
    FreshetException complete = assertThrows(FreshetException.class, () -> session.sql(LAST_THREE).writeStream()
        .format("memory").queryName("over").outputMode(OutputMode.COMPLETE).start());
    assertTrue(complete.getMessage().contains("emits each row once"), complete.getMessage());
    FreshetException following = assertThrows(FreshetException.class, () -> session.sql("SELECT SUM(price) OVER ("
        + "ORDER BY ts RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND INTERVAL '1' SECOND FOLLOWING) FROM bid"));
    assertTrue(following.getMessage().contains("must end at the current row"), following.getMessage());
    FreshetException descending = assertThrows(FreshetException.class, () -> session.sql("SELECT SUM(price) OVER ("
        + "ORDER BY ts DESC) FROM bid"));
    assertTrue(descending.getMessage().contains("ascending"), descending.getMessage());
  }
}
