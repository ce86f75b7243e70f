package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.engine.ManualClock;
import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQueryListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Nexmark queries of {@code bench/nexmark/} over a bounded run of the generator: streamed in small batches at
 * P = 2, each gives the answer the same SQL gives evaluated once over all the data (one batch at P = 1). A query file
 * may start with statements of its own (a view, a side input) before its query. The sessions follow a manual clock,
 * which the streamed run moves 1 s a batch: q12's processing-time windows then differ between the two runs, so q12
 * is checked on what does not depend on the clock.
 */
class NexmarkQueriesTest {
  private static final Path QUERIES = Path.of("..", "bench", "nexmark");
  private static final long START = LocalDateTime.of(2026, 6, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

  static Stream<String> queries() throws IOException {
    try (Stream<Path> files = Files.list(QUERIES)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("q\\d+\\.sql"))
          .filter(n -> !n.equals("q12.sql"))
          .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.replaceAll("\\D", "")))).toList().stream();
    }
  }

  /**
   * The rows of query file {@code file} over 20 000 events: its statements run first, then its query; {@code
   * clockStep} ms are added to the session's clock after every batch.
   */
  private static List<Row> answer(String file, String master, long eventsPerBatch, long clockStep)
      throws IOException {
    String ddl = Files.readString(QUERIES.resolve("ddl.sql")).replace("${events}", "20000")
        .replace("${rate}", "1000").replace("${batch}", Long.toString(eventsPerBatch))
        // 20 s of event time across midnight: the per-day queries (q15-q17) see two days.
        .replace("${base}", "2025-12-31 23:59:50").replace("${realtime}", "false");
    ManualClock clock = new ManualClock(START);
    try (FreshetSession session = FreshetSession.builder().master(master).clock(clock).create()) {
      for (var statement : ScriptSplitter.split(ddl)) {
        session.sql(statement.text());
      }
      List<ScriptSplitter.Piece> pieces = ScriptSplitter.split(Files.readString(QUERIES.resolve(file))
          .replace("${nexmark}", QUERIES.toAbsolutePath().normalize().toString()));
      for (var statement : pieces.subList(0, pieces.size() - 1)) {
        session.sql(statement.text());
      }
      session.streams().addListener(new StreamingQueryListener() {
        @Override
        public void onQueryStarted(QueryStartedEvent event) {
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
          clock.advance(clockStep);
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
        }
      });
      return session.sql(pieces.get(pieces.size() - 1).text()).collectAsList();
    }
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void streamedInSmallBatchesGivesTheAnswerOfOneEvaluation(String file) throws IOException {
    List<String> once = sorted(answer(file, "local[1]", 1_000_000, 0));
    List<String> streamed = sorted(answer(file, "local[2]", 700, 1_000));
    assertFalse(once.isEmpty(), file + " gives no rows");
    assertEquals(once, streamed, file);
  }

  /**
   * q12 counts each bidder's bids per 10 s of processing time: however the clock cuts them into windows, the counts
   * of a bidder add up to its bids, and each window is 10 s of the clock, which the streamed run moved.
   */
  @Test
  void q12CountsEveryBidOnceInWindowsOfTheClock() throws IOException {
    List<Row> once = answer("q12.sql", "local[1]", 1_000_000, 0);
    List<Row> streamed = answer("q12.sql", "local[2]", 700, 1_000);
    assertFalse(once.isEmpty(), "q12 gives no rows");
    assertEquals(perBidder(once), perBidder(streamed));
    assertEquals(1, windows(once), "one batch at one time: one window");
    assertTrue(windows(streamed) > 1, "the clock moved 1 s a batch: several windows");
    for (Row r : streamed) {
      LocalDateTime start = (LocalDateTime) r.get(2);
      assertEquals(start.plusSeconds(10), r.get(3), r.toString());
      assertEquals(0, start.toInstant(ZoneOffset.UTC).toEpochMilli() % 10_000, r.toString());
    }
  }

  private static Map<Object, Long> perBidder(List<Row> rows) {
    return rows.stream().collect(Collectors.groupingBy(r -> r.get(0), TreeMap::new,
        Collectors.summingLong(r -> ((Number) r.get(1)).longValue())));
  }

  private static long windows(List<Row> rows) {
    return rows.stream().map(r -> r.get(2)).distinct().count();
  }
}
