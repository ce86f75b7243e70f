package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.batch.Batch;
import io.freshet.sources.nexmark.NexmarkGenerator;
import io.freshet.sources.nexmark.NexmarkTable;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SQL over a bounded Nexmark stream into a memory sink gives exactly the rows a plain Java filter picks. */
class NexmarkEndToEndTest {
  private static final long EVENTS = 50_000;
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
        + " ts TIMESTAMP(3), extra VARCHAR, WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)"
        + " WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '" + EVENTS + "', 'seed' = '11',"
        + " 'base-time' = '2026-01-01 00:00:00', 'max-events-per-batch' = '7000', 'batch-size' = '1000')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  /** The expected answer, computed row by row in plain Java from the generator. */
  private static List<Row> expected() {
    List<Row> rows = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator();
        Batch all = new NexmarkGenerator(11, 1000, 1).generateBatch(NexmarkTable.BID, NexmarkTable.BID.schema(),
            LocalDateTime.of(2026, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli(), 0, EVENTS, allocator)) {
      for (Row bid : all.rows()) {
        long auction = bid.getLong(0);
        long price = bid.getLong(2);
        if (auction % 7 == 0 && price > 5000) {
          rows.add(Row.of(auction, price * 2, bid.getString(3).toUpperCase(), bid.getTimestamp(5)));
        }
      }
    }
    return rows;
  }

  @Test
  void insertIntoMemorySinkGivesTheExpectedRows() {
    session.sql("CREATE TABLE picked (auction BIGINT, doubled BIGINT, channel VARCHAR, ts TIMESTAMP(3))"
        + " WITH ('connector' = 'memory')");
    StatementResult started = session.execute("INSERT INTO picked SELECT auction, price * 2, UPPER(channel), ts"
        + " FROM bid WHERE MOD(auction, 7) = 0 AND price > 5000", 1, 1);
    StreamingQuery query = ((StatementResult.Started) started).query();
    query.awaitTermination();
    List<Row> expected = expected();
    assertFalse(expected.isEmpty());
    assertEquals(expected, session.memoryTableRows("picked"));
    // The bounded input was read in several micro-batches, one committed after another.
    assertTrue(query.recentProgress().size() >= 7, "batches: " + query.recentProgress().size());
    long input = query.recentProgress().stream().mapToLong(p -> p.numInputRows()).sum();
    assertEquals(NexmarkTable.BID.countBefore(EVENTS), input);
    // The memory table reads back through SQL.
    assertEquals(expected.size(), session.sql("SELECT auction FROM picked").collectAsList().size());
  }

  @Test
  void collectAsListRunsABoundedQueryToTheEnd() {
    assertEquals(expected(), session.sql("SELECT auction, price * 2, UPPER(channel), ts FROM bid"
        + " WHERE MOD(auction, 7) = 0 AND price > 5000").collectAsList());
  }
}
