package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.StreamingQueryException;
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
      assertTrue(e.getMessage().contains("Out of memory in ") && e.getMessage().contains("of query [id = ")
          && e.getMessage().contains("The session's Arrow memory limit is " + limit + " bytes"), e.getMessage());
    }
    session.close();
  }
}
