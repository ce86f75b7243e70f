package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.at;
import static io.freshet.sql.WindowAggregationTest.row;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hopping windows kept as slices (heap state) give the answer of hopping windows kept as windows (RocksDB): in
 * several partitions, across restarts at other numbers of partitions, with and without keys besides the window.
 */
class HopSlicesTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[3]").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private StreamTest.Action parallelism(int n) {
    return StreamTest.parallelism(session, n);
  }

  /** A hopping window grouped by nothing else: every slice of the one key meets the others in one partition. */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void globalHopWindowsInSeveralPartitionsCloseOnce(String store) {
    session.conf().set("state-store", store);
    session.conf().set("parallelism", "3");
    String hop = "SELECT window_start, COUNT(*) AS n, SUM(v) AS total FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
    String explained = ((StatementResult.Text) session.execute("EXPLAIN " + hop, 1, 1)).text();
    assertEquals(store.equals("memory"), explained.contains("slices of 5000 ms, 2 to a window"), explained);
    StreamTest.of(session, hop).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("b", 2, 3), row("c", 3, 6), row("d", 4, 7)),
        checkNewAnswer(),
        stopStream(),
        parallelism(2),
        startStream(),
        // The watermark passes 7 s: [-5 s, 5 s) closes.
        addData("s", row("a", 10, 8), row("e", 4, 12)),
        checkNewAnswer(Row.of(at(-5), 2L, 3L)),
        stopStream(),
        parallelism(1),
        startStream(),
        addData("s", row("f", 5, 14)),
        checkNewAnswer(),
        // The watermark passes 25 s: [0 s, 10 s), [5 s, 15 s) and [10 s, 20 s) close, each once.
        addData("s", row("a", 1, 30)),
        checkNewAnswer(Row.of(at(0), 5L, 20L), Row.of(at(5), 5L, 26L), Row.of(at(10), 2L, 9L)));
  }

  /** Single-row batches in three partitions, the partial aggregates of each partition merged into its slices. */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void slicesOfSeveralPartitionsMergeIntoWindows(String store) {
    session.conf().set("state-store", store);
    session.conf().set("parallelism", "3");
    String hop = "SELECT window_end, k, COUNT(*) AS n, MAX(v) AS hi FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '2' SECOND, INTERVAL '6' SECOND)) GROUP BY window_start, window_end, k";
    StreamTest.of(session, hop).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("a", 7, 1), row("b", 2, 2), row("a", 3, 3)),
        checkNewAnswer(),
        addData("s", row("a", 4, 5)),
        checkNewAnswer(),
        stopStream(),
        parallelism(2),
        startStream(),
        // The watermark passes 10 s: the windows ending at 2, 4, 6 and 8 s close (and at 10 s: [4 s, 10 s)).
        addData("s", row("b", 9, 15)),
        checkNewAnswer(Row.of(at(2), "a", 2L, 7L), Row.of(at(4), "a", 3L, 7L), Row.of(at(4), "b", 1L, 2L),
            Row.of(at(6), "a", 4L, 7L), Row.of(at(6), "b", 1L, 2L), Row.of(at(8), "a", 2L, 4L),
            Row.of(at(8), "b", 1L, 2L), Row.of(at(10), "a", 1L, 4L)));
  }

  /** Dataset.explain() shows the plan as the query runs with the session's state store, as EXPLAIN does. */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void datasetExplainShowsTheSlicesAsSqlExplainDoes(String store) {
    session.conf().set("state-store", store);
    String hop = "SELECT window_start, k, COUNT(*) AS n FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";
    String explained = session.sql(hop).explain();
    assertEquals(store.equals("memory"), explained.contains("slices of 5000 ms, 2 to a window"), explained);
  }

  /**
   * A checkpoint whose record shows the hopping window kept as windows (as a version before slices wrote it, its
   * state holding windows) is not refused: the query goes on keeping windows there, and EXPLAIN UPGRADE says so.
   */
  @Test
  void aCheckpointWrittenBeforeSlicesGoesOnWithWindows(@TempDir Path checkpoints) throws IOException {
    session.sql("SET 'checkpoint-location' = '" + checkpoints + "'");
    session.sql("CREATE TABLE out WITH ('connector' = 'memory')");
    String hop = "SELECT window_start, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";
    run(hop);
    Path plan;
    try (Stream<Path> files = Files.walk(checkpoints)) {
      plan = files.filter(p -> p.getFileName().toString().equals("plan")).findFirst().orElseThrow();
    }
    String sliced = CheckpointFiles.readString(plan);
    assertTrue(sliced.contains("sliced, "), sliced);
    CheckpointFiles.write(plan, sliced.replace("sliced, ", "").replace(", slices of 5000 ms, 2 to a window", "")
        .getBytes(StandardCharsets.UTF_8));
    String upgrade = ((StatementResult.Text) session.execute("EXPLAIN UPGRADE INSERT INTO out " + hop, 1, 1)).text();
    assertTrue(upgrade.contains("kept: unchanged") && !upgrade.contains("refused"), upgrade);
    run(hop, row("a", 1, 1), row("b", 2, 3), row("a", 3, 6));
    run(hop, row("a", 10, 8));
    // The watermark passes 25 s: every window closes once.
    run(hop, row("c", 1, 30));
    assertEquals(List.of("[2026-01-01T00:00,a,3,14]", "[2026-01-01T00:00,b,1,2]", "[2026-01-01T00:00:05,a,2,13]",
        "[2025-12-31T23:59:55,a,1,1]", "[2025-12-31T23:59:55,b,1,2]").stream().sorted().toList(),
        session.memoryTableRows("out").stream().map(Row::toString).sorted().toList());
    String again = ((StatementResult.Text) session.execute("EXPLAIN UPGRADE INSERT INTO out " + hop, 1, 1)).text();
    assertTrue(again.contains("kept: unchanged") && !again.contains("sliced"), again);
  }

  /** Starts {@code query} into out, adds {@code rows}, waits for them, and stops it. */
  private void run(String query, Row... rows) {
    StreamingQuery q = ((StatementResult.Started) session.execute("INSERT INTO out " + query, 1, 1)).query();
    if (rows.length > 0) {
      session.memoryStream("s").addData(rows);
    }
    q.processAllAvailable();
    q.stop();
  }

  /**
   * Micro-batches shorter than the slide, with an offset: a window closes in the batch whose watermark reaches its
   * end, not before, and once.
   */
  @Test
  void windowsCloseInTheBatchWhoseWatermarkReachesTheirEnd() {
    String hop = "SELECT window_end, k, COUNT(*) AS n FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), INTERVAL '4' SECOND, "
        + "INTERVAL '8' SECOND, INTERVAL '1' SECOND)) GROUP BY window_start, window_end, k";
    StreamTest.of(session, hop).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 2)),
        checkNewAnswer(),
        // The watermark is 3 s: no window ends at or before it but [-7 s, 1 s), which holds no row.
        addData("s", row("a", 1, 8)),
        checkNewAnswer(),
        // 4 s: none ends in (3 s, 4 s].
        addData("s", row("b", 1, 9)),
        checkNewAnswer(),
        // 5 s: [-3 s, 5 s) ends.
        addData("s", row("b", 1, 10)),
        checkNewAnswer(Row.of(at(5), "a", 1L)),
        stopStream(),
        startStream(),
        // 8 s: none ends in (5 s, 8 s].
        addData("s", row("b", 1, 13)),
        checkNewAnswer(),
        // 9 s: [1 s, 9 s) ends.
        addData("s", row("a", 1, 14)),
        checkNewAnswer(Row.of(at(9), "a", 2L)));
  }

  /**
   * Hopping windows kept as slices (on the heap) and as windows (RocksDB): each window is emitted once, in the batch
   * whose watermark closes it, with the rows of every run, whatever number of partitions held its slices.
   */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void openHopWindowsMoveToAnotherNumberOfPartitionsAndCloseOnce(String store) {
    session.conf().set("state-store", store);
    String hop = "SELECT window_start, k, COUNT(*) AS n, SUM(v) AS total FROM TABLE(HOP(TABLE s, DESCRIPTOR(ts), "
        + "INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";
    String explained = ((StatementResult.Text) session.execute("EXPLAIN " + hop, 1, 1)).text();
    assertEquals(store.equals("memory"), explained.contains("slices of 5000 ms, 2 to a window"), explained);
    StreamTest.of(session, hop).outputMode(OutputMode.APPEND).run(
        addData("s", row("a", 1, 1), row("b", 2, 3), row("c", 3, 6)),
        checkNewAnswer(),
        stopStream(),
        parallelism(2),
        startStream(),
        // The watermark passes 7 s: the window [-5 s, 5 s) closes.
        addData("s", row("a", 10, 8), row("d", 4, 12)),
        checkNewAnswer(Row.of(at(-5), "a", 1L, 1L), Row.of(at(-5), "b", 1L, 2L)),
        stopStream(),
        parallelism(1),
        startStream(),
        addData("s", row("e", 5, 14)),
        checkNewAnswer(),
        // The watermark passes 25 s: [0 s, 10 s), [5 s, 15 s) and [10 s, 20 s) close, each once.
        addData("s", row("a", 1, 30)),
        checkNewAnswer(Row.of(at(0), "a", 2L, 11L), Row.of(at(0), "b", 1L, 2L), Row.of(at(0), "c", 1L, 3L),
            Row.of(at(5), "c", 1L, 3L), Row.of(at(5), "a", 1L, 10L), Row.of(at(5), "d", 1L, 4L),
            Row.of(at(5), "e", 1L, 5L), Row.of(at(10), "d", 1L, 4L), Row.of(at(10), "e", 1L, 5L)));
  }
}
