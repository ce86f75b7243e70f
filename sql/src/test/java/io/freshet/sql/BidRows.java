package io.freshet.sql;

import io.freshet.streaming.Row;
import java.time.LocalDateTime;

/** Rows of the tests' {@code bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3))} stream, by second of 2026. */
final class BidRows {
  static final String BIDS = "CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), "
      + "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory')";

  private BidRows() {
  }

  static Row bid(long auction, long price, int second) {
    return Row.of(auction, price, time(second));
  }

  /** 2026-01-01 00:00:00 plus {@code second} seconds. */
  static LocalDateTime time(int second) {
    return LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(second);
  }
}
