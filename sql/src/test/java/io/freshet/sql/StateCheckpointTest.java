package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.at;
import static io.freshet.sql.WindowAggregationTest.row;
import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.assertOnQuery;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static io.freshet.sql.testing.StreamTest.checkNewAnswer;
import static io.freshet.sql.testing.StreamTest.execute;
import static io.freshet.sql.testing.StreamTest.expectFailure;
import static io.freshet.sql.testing.StreamTest.startStream;
import static io.freshet.sql.testing.StreamTest.stopStream;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.engine.StreamExecution;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** State in the checkpoint: versions, snapshots and purging, progress figures, and bad restarts. */
class StateCheckpointTest {
  private static final String COUNTS = "SELECT window_start, k, COUNT(*) AS c FROM TABLE(TUMBLE(TABLE s, "
      + "DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k";

  private FreshetSession session;

  @BeforeEach
  void setUp() {
    // One partition: the test reads the files of its one state directory, for key groups 0 to 127.
    session = FreshetSession.builder().master("local").create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static StateOperatorProgress stateOf(StreamingQuery q) {
    return q.lastProgress().stateOperators().get(0);
  }

  private static Path stateDirectory(StreamingQuery q) {
    return ((StreamExecution) q).checkpointLocation().resolve("state").resolve("3").resolve("0-127");
  }

  private static List<String> files(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void progressReportsStateRowsUpdatesMemoryAndEviction() {
    StreamTest.of(session, COUNTS).run(
        addData("s", row("a", 1, 1), row("b", 1, 2), row("a", 1, 12)),
        checkNewAnswer(),
        assertOnQuery("three groups live, three updated", q -> stateOf(q).numRowsTotal() == 3
            && stateOf(q).numRowsUpdated() == 3 && stateOf(q).memoryUsedBytes() > 0
            && stateOf(q).operatorName().equals("WindowAggregate")),
        addData("s", row("a", 1, 13)),
        checkNewAnswer(),
        assertOnQuery("one group updated", q -> stateOf(q).numRowsUpdated() == 1),
        // The watermark passes 10 s: the two groups of [0 s, 10 s) are emitted and leave the state.
        addData("s", row("c", 1, 16)),
        checkNewAnswer(Row.of(at(0), "a", 1L), Row.of(at(0), "b", 1L)),
        assertOnQuery("evicted", q -> stateOf(q).numRowsTotal() == 2),
        // As in Spark, the progress shows the watermark the batch ran with (13 s - 5 s).
        assertOnQuery("the watermark is in the progress", q -> q.lastProgress().eventTime().get("watermark")
            .equals("2026-01-01T00:00:08Z")));
  }

  @Test
  void stateIsWrittenAsDeltasWithASnapshotEveryTenVersionsAndOldVersionsArePurged() {
    List<StreamTest.Action> actions = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      actions.add(addData("s", row("k" + (i % 3), 1, i)));
      actions.add(StreamTest.processAllAvailable());
    }
    List<String> files = new ArrayList<>();
    actions.add(execute("look at the state files", q -> files.addAll(files(stateDirectory(q)))));
    actions.add(stopStream());
    actions.add(startStream());
    actions.add(addData("s", row("z", 1, 100)));
    actions.add(checkAnswer(Row.of(at(0), "k0", 4L), Row.of(at(0), "k1", 3L), Row.of(at(0), "k2", 3L),
        Row.of(at(10), "k0", 3L), Row.of(at(10), "k1", 4L), Row.of(at(10), "k2", 3L),
        Row.of(at(20), "k0", 2L), Row.of(at(20), "k1", 1L), Row.of(at(20), "k2", 2L)));
    StreamTest.of(session, COUNTS).run(actions.toArray(new StreamTest.Action[0]));
    assertTrue(files.contains("20.snapshot") && files.contains("10.snapshot"), files.toString());
    assertTrue(files.contains("24.delta") && files.contains("11.delta"), files.toString());
    assertTrue(!files.contains("0.snapshot") && !files.contains("9.delta"), "purged: " + files);
  }

  @Test
  void aRestartWithADifferentAggregationIsRefusedNamingTheOperator() {
    Path[] checkpoint = new Path[1];
    StreamTest.of(session, COUNTS).run(
        addData("s", row("a", 1, 1)),
        checkNewAnswer(),
        execute("remember the checkpoint", q -> checkpoint[0] = ((StreamExecution) q).checkpointLocation()),
        stopStream(),
        execute("start another query on the same checkpoint", q -> {
          // Refused when it starts, before it reads any state, naming the node and what changed.
          Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> session.sql(
              "SELECT window_start, k, MAX(v) AS c FROM TABLE("
              + "TUMBLE(TABLE s, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, k")
              .writeStream().format("memory").queryName("other").outputMode(OutputMode.APPEND)
              .option("checkpointLocation", checkpoint[0].toString()).start());
          String message = e.getMessage();
          assertTrue(message.contains("#3 WindowAggregate") && message.contains("its aggregates changed: was 'COUNT(*)', now 'MAX(s.v:BIGINT)'")
              && message.contains("new checkpoint location"), message);
        }));
  }

  @Test
  void aCorruptStateFileStopsTheQueryNamingTheFile() {
    Path[] dir = new Path[1];
    StreamTest.of(session, COUNTS).run(
        addData("s", row("a", 1, 1)),
        checkNewAnswer(),
        addData("s", row("b", 1, 2)),
        checkNewAnswer(),
        execute("truncate the latest state file", q -> dir[0] = stateDirectory(q)),
        stopStream(),
        execute("truncate", q -> {
          try {
            Path delta = dir[0].resolve("1.delta");
            byte[] bytes = Files.readAllBytes(delta);
            Files.write(delta, java.util.Arrays.copyOf(bytes, bytes.length / 2));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }),
        startStream(),
        expectFailure("1.delta"));
  }
}
