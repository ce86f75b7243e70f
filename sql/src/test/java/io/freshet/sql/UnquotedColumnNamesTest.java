package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in sources' columns work unquoted, as in Spark, though Calcite reserves the words: timestamp and value
 * (rate, file, socket), key, partition, offset and timestamp (Kafka), dateTime (Nexmark).
 */
class UnquotedColumnNamesTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void aQueryOverTheRateSourceNamesTimestampAndValue() throws Exception {
    session.sql("""
        CREATE STREAM ticks (timestamp TIMESTAMP(3), value BIGINT,
          WATERMARK FOR timestamp AS timestamp - INTERVAL '1' SECOND)
        WITH ('connector' = 'rate', 'rowsPerSecond' = '100')""");
    assertEquals(List.of(Row.of("timestamp", "TIMESTAMP(3)", "YES", "", "timestamp - INTERVAL '1' SECOND"),
        Row.of("value", "BIGINT", "YES", "", "")), session.sql("DESCRIBE ticks").collectAsList());
    StreamingQuery query = session.sql("SELECT value, timestamp, value * 2 AS twice FROM ticks WHERE value < 3")
        .writeStream().format("memory").queryName("first_ticks").start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (rows("first_ticks").size() < 3 && System.nanoTime() < deadline) {
      query.processAllAvailable();
      Thread.sleep(10);
    }
    query.stop();
    List<Row> rows = rows("first_ticks").stream()
        .sorted(java.util.Comparator.comparing(r -> (Long) r.get(0))).toList();
    assertEquals(List.of(0L, 1L, 2L), rows.stream().map(r -> r.get(0)).toList());
    assertEquals(List.of(0L, 2L, 4L), rows.stream().map(r -> r.get(2)).toList());
    for (Row row : rows) {
      assertInstanceOf(LocalDateTime.class, row.get(1), row.toString());
    }
    // The watermark and a window over the rate source's own time column plan with the names unquoted.
    String plan = (String) session.sql("EXPLAIN SELECT window_start, COUNT(value) FROM TABLE(TUMBLE(TABLE ticks, "
        + "DESCRIPTOR(timestamp), INTERVAL '1' SECOND)) GROUP BY window_start, window_end").collectAsList().stream()
        .map(r -> (String) r.get(0)).reduce("", (a, b) -> a + b + "\n");
    assertTrue(plan.contains("watermark timestamp - INTERVAL '1' SECOND"), plan);
  }

  /** The rows of a memory sink, none before its first batch. */
  private List<Row> rows(String table) {
    try {
      return session.memoryTableRows(table);
    } catch (FreshetException notYet) {
      return List.of();
    }
  }

  @Test
  void kafkasColumnsKeyPartitionOffsetAndTimestamp() {
    session.sql("CREATE STREAM records (key VARCHAR, value VARCHAR, topic VARCHAR, partition INT, offset BIGINT, "
        + "timestamp TIMESTAMP(3)) WITH ('connector' = 'memory')");
    LocalDateTime t = LocalDateTime.of(2026, 1, 1, 0, 0);
    StreamTest.of(session, "SELECT partition, key, UPPER(value) AS value, offset + 1 AS next_offset FROM records "
        + "WHERE partition = 1 AND offset >= 5 AND timestamp > TIMESTAMP '2025-12-31 00:00:00'").run(
        addData("records", Row.of("a", "x", "t", 0, 7L, t), Row.of("b", "y", "t", 1, 4L, t),
            Row.of("c", "z", "t", 1, 5L, t)),
        checkNewAnswer(Row.of(1, "c", "Z", 6L)),
        addData("records", Row.of("d", "w", "t", 1, 9L, t)),
        checkAnswer(Row.of(1, "c", "Z", 6L), Row.of(1, "d", "W", 10L)));
  }

  @Test
  void nexmarksDateTime() {
    session.sql("CREATE STREAM bid WITH ('connector' = 'nexmark', 'events' = '100', "
        + "'base-time' = '2026-01-01 00:00:00')");
    List<Row> rows = session.sql("SELECT MIN(dateTime), MAX(dateTime) FROM bid WHERE dateTime >= "
        + "TIMESTAMP '2026-01-01 00:00:00'").collectAsList();
    assertEquals(1, rows.size());
    assertTrue(((LocalDateTime) rows.get(0).get(0)).getYear() == 2026, rows.toString());
  }
}
