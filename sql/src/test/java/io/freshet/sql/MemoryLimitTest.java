package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.StreamingQueryException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.List;
import io.freshet.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query that needs more Arrow memory than the session allows fails with a message that names the query and the
 * limit, and leaks nothing: the session closes cleanly, whatever the operator the limit was hit in.
 */
class MemoryLimitTest {

  @ParameterizedTest
  @ValueSource(longs = {1L << 20, 3L << 20, 6L << 20, 12L << 20, 24L << 20})
  void aQueryOverTheMemoryLimitFailsNamingItselfAndTheSessionClosesCleanly(long limit) {
    FreshetSession session = FreshetSession.builder().memoryLimit(limit).create();
    session.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '300000', "
        + "'base-time' = '2026-01-01 00:00:00')");
    for (String query : new String[] {
        "SELECT bidder, url, COUNT(*), MAX(extra) FROM bids GROUP BY bidder, url",
        "SELECT window_start, UPPER(url) AS u, COUNT(DISTINCT bidder), APPROX_COUNT_DISTINCT(auction), AVG(price) "
            + "FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) "
            + "GROUP BY window_start, window_end, UPPER(url)"}) {
      StreamingQueryException e = assertThrows(StreamingQueryException.class,
          () -> session.sql(query).collectAsList(), query);
      // Either an Arrow allocation or the state on the heap (which counts against the same limit) passes it.
      boolean arrow = e.getMessage().contains("Out of memory in ")
          && e.getMessage().contains("The session's Arrow memory limit is " + limit + " bytes");
      boolean state = e.getMessage().contains("The state of operator ")
          && e.getMessage().contains("passes its memory limit of " + limit + " bytes");
      assertTrue((arrow || state) && e.getMessage().contains("of query [id = "), e.getMessage());
    }
    session.close();
  }

  @Test
  void runningTotalsWhoseKeysOutgrowTheLimitFailNamingTheOperator() {
    long limit = 24L << 20;
    try (FreshetSession session = FreshetSession.builder().master("local").memoryLimit(limit).create()) {
      session.sql("CREATE STREAM s (k BIGINT) WITH ('connector' = 'memory')");
      // A million keys: 8 MB of Arrow input, and a key table and counts on the heap several times that, which
      // count against the limit all the same.
      List<Row> keys = new ArrayList<>();
      for (long k = 0; k < 1_000_000; k++) {
        keys.add(Row.of(k));
      }
      session.memoryStream("s").addData(keys);
      StreamingQuery query = session.sql("SELECT k, COUNT(*) AS n FROM s GROUP BY k").writeStream().format("memory")
          .queryName("totals").outputMode(OutputMode.UPDATE).start();
      StreamingQueryException e = assertThrows(StreamingQueryException.class, query::processAllAvailable);
      assertTrue(e.getMessage().contains("The state of operator 1 (Aggregate) of query totals") && e.getMessage()
          .contains("bytes on the heap, which with the ") && e.getMessage().contains("passes its memory limit of "
          + limit + " bytes")
          && e.getMessage().contains("SET 'state-store' = 'rocksdb'"), e.getMessage());
    }
  }
}
