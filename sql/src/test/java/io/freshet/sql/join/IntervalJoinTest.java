package io.freshet.sql.join;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.FreshetSession;
import io.freshet.sql.StatementResult;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.Row;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What a user sees of an interval join as it runs: pairs as soon as the later row comes, outer rows exactly when the
 * watermark passes their bound, late rows dropped and counted, and state that shrinks as the watermark advances.
 */
class IntervalJoinTest {
  private static final String LEFT_JOIN = "SELECT a.id, a.item, b.price FROM auction a LEFT JOIN bid b "
      + "ON b.auction = a.id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '10' SECOND";

  private FreshetSession session;

  void open(String store, int partitions) {
    session = FreshetSession.builder().master("local[" + partitions + "]").create();
    session.conf().set("state-store", store);
    session.sql("CREATE STREAM auction (id BIGINT, item VARCHAR, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
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

  private static LocalDateTime at(int seconds) {
    return LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(seconds);
  }

  private static StreamTest.Action stateRows(long rows) {
    return assertOnQuery(rows + " rows in the join's state", q -> state(q).numRowsTotal() == rows);
  }

  private static StreamTest.Action dropped(long rows) {
    return assertOnQuery(rows + " rows dropped as late", q -> state(q).numRowsDroppedByWatermark() == rows);
  }

  /** The join's figures in the last batch (its only stateful operator). */
  private static StateOperatorProgress state(StreamingQuery q) {
    return q.lastProgress().stateOperators().get(0);
  }

  @ParameterizedTest(name = "{0}, P = {1}")
  @ValueSource(strings = {"memory 1", "rocksdb 1", "memory 2", "rocksdb 2"})
  void pairsComeWithTheLaterRowAndOuterRowsWhenTheWatermarkPassesTheirBound(String setting) {
    String[] parts = setting.split(" ");
    session.close();
    open(parts[0], Integer.parseInt(parts[1]));
    StreamTest.of(session, LEFT_JOIN).run(
        addData("auction", Row.of(1L, "lamp", at(1)), Row.of(2L, "desk", at(3))),
        checkNewAnswer(),
        stateRows(2),
        // The bid for auction 1 is joined at once; the watermark is still held back by the bids (none yet).
        addData("bid", Row.of(1L, 10L, at(2)), Row.of(7L, 70L, at(9))),
        checkNewAnswer(Row.of(1L, "lamp", 10L)),
        stateRows(4),
        // Bids reach 20 s, auctions 18 s: the watermark is 13 s. Auction 1 (until 11 s, matched) and the bids
        // older than 13 s go; auction 2 (until 13 s) may still match a bid at 13 s and stays.
        addData("auction", Row.of(3L, "sofa", at(18))),
        addData("bid", Row.of(3L, 30L, at(20))),
        checkNewAnswer(Row.of(3L, "sofa", 30L)),
        stateRows(3),
        // Auctions reach 19 s, bids 21 s: the watermark is 14 s, past auction 1's and 2's bound. Auction 2 never
        // matched: it comes out with nulls, once.
        addData("auction", Row.of(4L, "vase", at(19))),
        addData("bid", Row.of(4L, 40L, at(21))),
        checkNewAnswer(Row.of(4L, "vase", 40L), Row.of(2L, "desk", null)),
        stateRows(4),
        // A bid older than the watermark (14 s) is late: dropped and counted, not joined.
        addData("bid", Row.of(4L, 41L, at(12))),
        checkNewAnswer(),
        dropped(1),
        checkAnswer(Row.of(1L, "lamp", 10L), Row.of(3L, "sofa", 30L), Row.of(4L, "vase", 40L),
            Row.of(2L, "desk", null)));
  }

  @Test
  void aJoinWithoutATimeBoundIsWarnedOfUnlessItsRowsExpireAndTheExpiredAreCounted() {
    String query = "SELECT a.id, b.price FROM auction a JOIN bid b ON a.id = b.auction";
    String plan = ((StatementResult.Text) session.execute("EXPLAIN " + query, 1, 1)).text();
    assertTrue(plan.startsWith("Warning: the join of node #2 has no bound on event time, so it keeps every row"),
        plan);
    session.sql("SET 'state.ttl' = '10 s'");
    plan = ((StatementResult.Text) session.execute("EXPLAIN " + query, 1, 1)).text();
    assertTrue(!plan.contains("Warning") && plan.contains("RegularJoin(inner"), plan);
    StreamTest.of(session, query).run(
        addData("auction", Row.of(1L, "lamp", at(1)), Row.of(2L, "desk", at(2))),
        addData("bid", Row.of(1L, 10L, at(3))),
        checkNewAnswer(Row.of(1L, 10L)),
        stateRows(3),
        // The watermark reaches 15 s: both auctions and the bid are older than their 10 s.
        addData("auction", Row.of(3L, "sofa", at(20))),
        addData("bid", Row.of(3L, 30L, at(21))),
        checkNewAnswer(Row.of(3L, 30L)),
        stateRows(2),
        assertOnQuery("3 rows expired", q -> state(q).customMetrics().get("numRowsExpired") == 3));
  }

  @Test
  void explainShowsTheJoinItsKeysAndHowEachInputIsDistributed() {
    String plan = ((StatementResult.Text) session.execute("EXPLAIN " + LEFT_JOIN, 1, 1)).text();
    assertTrue(plan.contains("IntervalJoin(left, keys=[$0 = $3], left until=[PLUS($2, 10000)], right until=[$5]"),
        plan);
    assertTrue(plan.contains("by hash[0]/[0]"), plan);
  }

  /**
   * Auctions that come out of order of their bounds leave the state as the watermark passes each bound, the
   * unmatched with nulls exactly then; one row per batch and a restart from the checkpoint after every action, so
   * that the state is restored from a snapshot and the deltas after it (rows put, matched and evicted) each time.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "rocksdb"})
  void outerRowsLeaveInOrderOfTheirBoundsAcrossRestartsAfterEveryBatch(String store) {
    session.close();
    open(store, 1);
    StreamTest.of(session, LEFT_JOIN).restartAfterEveryAction().run(
        addData("auction", Row.of(1L, "lamp", at(1))),
        addData("auction", Row.of(3L, "sofa", at(4))),
        addData("auction", Row.of(2L, "desk", at(2))),
        addData("bid", Row.of(3L, 30L, at(6))),
        checkNewAnswer(Row.of(3L, "sofa", 30L)),
        addData("bid", Row.of(2L, 20L, at(3))),
        checkNewAnswer(Row.of(2L, "desk", 20L)),
        addData("auction", Row.of(4L, "vase", at(5))),
        // Auctions reach 16 s, bids 17 s: the watermark is 11 s, not yet past auction 1's bound (11 s).
        addData("auction", Row.of(5L, "rug", at(16))),
        addData("bid", Row.of(9L, 90L, at(17))),
        checkNewAnswer(),
        // The watermark is 12 s: auction 1 never matched and comes out with nulls.
        addData("auction", Row.of(6L, "cup", at(17))),
        checkNewAnswer(Row.of(1L, "lamp", null)),
        // 13 s: auction 2 matched, it goes quietly; 16 s: auction 3 too, and auction 4 (until 15 s) with nulls.
        addData("auction", Row.of(7L, "pen", at(18))),
        addData("bid", Row.of(9L, 91L, at(18))),
        checkNewAnswer(),
        addData("auction", Row.of(8L, "mug", at(21))),
        addData("bid", Row.of(9L, 92L, at(21))),
        checkNewAnswer(Row.of(4L, "vase", null)),
        addData("bid", Row.of(5L, 50L, at(21))),
        checkNewAnswer(Row.of(5L, "rug", 50L)),
        checkAnswer(Row.of(3L, "sofa", 30L), Row.of(2L, "desk", 20L), Row.of(1L, "lamp", null),
            Row.of(4L, "vase", null), Row.of(5L, "rug", 50L)));
  }

  /**
   * The rows kept move to another number of partitions (each taking its keys from the previous partitions'
   * snapshots and deltas) and still match, and an unmatched auction comes out with nulls once, where it moved to.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "rocksdb"})
  void keptRowsMoveToAnotherNumberOfPartitions(String store) {
    session.close();
    open(store, 3);
    java.util.function.IntFunction<StreamTest.Action> partitions = n -> StreamTest.execute("parallelism " + n,
        q -> session.conf().set("parallelism", String.valueOf(n)));
    java.util.List<Row> auctions = new java.util.ArrayList<>();
    java.util.List<Row> bids = new java.util.ArrayList<>();
    java.util.List<Row> expected = new java.util.ArrayList<>();
    for (long id = 0; id < 12; id++) {
      auctions.add(Row.of(id, "item-" + id, at(1)));
      if (id % 3 != 0) {
        bids.add(Row.of(id, id * 10, at(4)));
        expected.add(Row.of(id, "item-" + id, id * 10));
      } else {
        expected.add(Row.of(id, "item-" + id, null));
      }
    }
    StreamTest.of(session, LEFT_JOIN).run(
        partitions.apply(1),
        StreamTest.stopStream(),
        StreamTest.startStream(),
        addData("auction", auctions.subList(0, 6).toArray(new Row[0])),
        StreamTest.processAllAvailable(),
        StreamTest.stopStream(),
        partitions.apply(2),
        StreamTest.startStream(),
        addData("auction", auctions.subList(6, 12).toArray(new Row[0])),
        addData("bid", bids.subList(0, 3).toArray(new Row[0])),
        StreamTest.processAllAvailable(),
        StreamTest.stopStream(),
        partitions.apply(3),
        StreamTest.startStream(),
        addData("bid", bids.subList(3, bids.size()).toArray(new Row[0])),
        StreamTest.processAllAvailable(),
        StreamTest.stopStream(),
        partitions.apply(1),
        StreamTest.startStream(),
        addData("auction", Row.of(100L, "late-comer", at(30))),
        StreamTest.processAllAvailable(),
        stateRows(12 + bids.size() + 1),
        // The watermark passes 11 s: the auctions without a bid come out with nulls, the rest go quietly.
        addData("bid", Row.of(100L, 1L, at(30))),
        checkAnswer(concat(expected, Row.of(100L, "late-comer", 1L))),
        stateRows(2));
  }

  private static Row[] concat(java.util.List<Row> rows, Row row) {
    java.util.List<Row> all = new java.util.ArrayList<>(rows);
    all.add(row);
    return all.toArray(new Row[0]);
  }
}
