package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.streaming.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Nexmark queries of {@code bench/nexmark/} over a bounded run of the generator: streamed in small batches at
 * P = 2, each gives the answer the same SQL gives evaluated once over all the data (one batch at P = 1).
 */
class NexmarkQueriesTest {
  private static final Path QUERIES = Path.of("..", "bench", "nexmark");

  static Stream<String> queries() throws IOException {
    try (Stream<Path> files = Files.list(QUERIES)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("q\\d+\\.sql"))
          .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.replaceAll("\\D", "")))).toList().stream();
    }
  }

  private static List<String> answer(String query, String master, long eventsPerBatch) throws IOException {
    String ddl = Files.readString(QUERIES.resolve("ddl.sql")).replace("${events}", "20000")
        .replace("${rate}", "1000").replace("${batch}", Long.toString(eventsPerBatch))
        // 20 s of event time across midnight: the per-day queries (q15-q17) see two days.
        .replace("${base}", "2025-12-31 23:59:50").replace("${realtime}", "false");
    try (FreshetSession session = FreshetSession.builder().master(master).create()) {
      for (var statement : ScriptSplitter.split(ddl)) {
        session.sql(statement.text());
      }
      // A query file may declare what it needs first (q14: CREATE FUNCTION); its last statement is the query.
      List<ScriptSplitter.Piece> statements = ScriptSplitter.split(query);
      for (var statement : statements.subList(0, statements.size() - 1)) {
        session.sql(statement.text());
      }
      return session.sql(statements.get(statements.size() - 1).text()).collectAsList().stream().map(Row::toString)
          .sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void streamedInSmallBatchesGivesTheAnswerOfOneEvaluation(String file) throws IOException {
    String query = Files.readString(QUERIES.resolve(file));
    List<String> once = answer(query, "local[1]", 1_000_000);
    List<String> streamed = answer(query, "local[2]", 700);
    assertFalse(once.isEmpty(), file + " gives no rows");
    assertEquals(once, streamed, file);
  }
}
