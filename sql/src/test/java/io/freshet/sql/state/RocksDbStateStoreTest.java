package io.freshet.sql.state;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.memory.MemoryStream;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running totals with their state in RocksDB: the same answers as in memory, incremental checkpoints. */
class RocksDbStateStoreTest {
  @TempDir
  Path tmp;
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, d DOUBLE) WITH ('connector' = 'memory')");
    session.sql("SET 'state-store' = 'rocksdb'");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static final String TOTALS = "SELECT k, COUNT(*) AS c, SUM(v) AS total, MIN(k) AS lo, MAX(d) AS hi, "
      + "AVG(d) AS mean, APPROX_COUNT_DISTINCT(v) AS approx FROM s GROUP BY k";

  @Test
  void updateModeGivesTheSameAnswersAsInMemoryAcrossRestarts() {
    StreamTest.of(session, TOTALS).outputMode(OutputMode.UPDATE).restartAfterEveryAction().run(
        addData("s", Row.of("a", 1L, 1.0), Row.of("b", 2L, 4.0), Row.of("a", 3L, null)),
        checkAnswer(Row.of("a", 2L, 4L, "a", 1.0, 1.0, 2L), Row.of("b", 1L, 2L, "b", 4.0, 4.0, 1L)),
        addData("s", Row.of("a", 3L, 3.0), Row.of(null, 5L, 0.5)),
        checkAnswer(Row.of("a", 3L, 7L, "a", 3.0, 2.0, 2L), Row.of("b", 1L, 2L, "b", 4.0, 4.0, 1L),
            Row.of(null, 1L, 5L, null, 0.5, 0.5, 1L)),
        addData("s", Row.of("b", -2L, 2.0)),
        checkAnswer(Row.of("a", 3L, 7L, "a", 3.0, 2.0, 2L), Row.of("b", 2L, 0L, "b", 4.0, 3.0, 2L),
            Row.of(null, 1L, 5L, null, 0.5, 0.5, 1L)));
  }

  @Test
  void completeModeReadsEveryGroupBackFromRocksDb() {
    StreamTest.of(session, "SELECT k, COUNT(*) AS c FROM s GROUP BY k").outputMode(OutputMode.COMPLETE)
        .restartAfterEveryAction().run(
            addData("s", Row.of("a", 1L, 1.0), Row.of("b", 2L, 2.0)),
            checkAnswer(Row.of("a", 1L), Row.of("b", 1L)),
            addData("s", Row.of("a", 1L, 1.0)),
            checkAnswer(Row.of("a", 2L), Row.of("b", 1L)));
  }

  @Test
  void eachCheckpointCopiesOnlyTheSstFilesItDoesNotHoldYet() throws Exception {
    Path checkpoint = tmp.resolve("cp");
    MemoryStream input = session.memoryStream("s");
    StreamingQuery q = session.sql("SELECT k, COUNT(*) AS c FROM s GROUP BY k").writeStream().format("memory")
        .queryName("counts").outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString())
        .start();
    List<Set<String>> versions = new ArrayList<>();
    Path state = null;
    for (int batch = 0; batch < 3; batch++) {
      Row[] rows = new Row[1000];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Row.of("key-" + (batch * 1000 + i), 1L, 1.0);
      }
      input.addData(rows);
      q.processAllAvailable();
      if (state == null) {
        try (Stream<Path> dirs = Files.walk(checkpoint.resolve("state"))) {
          state = dirs.filter(p -> p.getFileName().toString().equals("sst")).findFirst().orElseThrow().getParent();
        }
      }
      versions.add(sstFiles(state));
    }
    assertEquals(3000, q.lastProgress().stateOperators().get(0).numRowsTotal());
    q.stop();
    // Each batch flushed one new SST file; the files of earlier versions are kept, not copied again.
    assertEquals(1, versions.get(0).size());
    assertTrue(versions.get(1).containsAll(versions.get(0)) && versions.get(1).size() == 2, versions.toString());
    assertTrue(versions.get(2).containsAll(versions.get(1)) && versions.get(2).size() == 3, versions.toString());
    assertTrue(Files.readString(state.resolve("rocksdb-2.json")).contains(versions.get(0).iterator().next()));
    assertFalse(Files.exists(state.resolve("2.delta")), "no in-memory state files");

    StreamingQuery again = session.sql("SELECT k, COUNT(*) AS c FROM s GROUP BY k").writeStream().format("memory")
        .queryName("counts").outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString())
        .start();
    input.addData(Row.of("key-0", 1L, 1.0), Row.of("key-2999", 1L, 1.0));
    again.processAllAvailable();
    again.stop();
    // The memory table holds the result by key: every key once, the two updated ones with their new counts.
    List<Row> all = session.memoryTableRows("counts");
    assertEquals(3000, all.size());
    assertEquals(List.of(Row.of("key-0", 2L), Row.of("key-2999", 2L)), all.stream()
        .filter(r -> r.get(0).equals("key-0") || r.get(0).equals("key-2999")).toList());
  }

  /** Refused at start, before any state is read, saying which store wrote the state (also for EXPLAIN UPGRADE). */
  @Test
  void aQueryStartedInMemoryAndRestartedInRocksDbSaysWhichStoreItNeeds() {
    session.sql("SET 'state-store' = 'memory'");
    java.util.function.Supplier<StreamingQuery> start = () -> session.sql("SELECT k, COUNT(*) AS c FROM s GROUP BY k")
        .writeStream().format("memory").queryName("switched").outputMode(OutputMode.UPDATE)
        .option("checkpointLocation", tmp.resolve("switched").toString()).start();
    StreamingQuery first = start.get();
    session.memoryStream("s").addData(Row.of("a", 1L, 1.0));
    first.processAllAvailable();
    first.stop();
    session.sql("SET 'state-store' = 'rocksdb'");
    io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.freshet.streaming.FreshetException.class, start::get);
    assertTrue(e.getMessage().contains("its state was written with 'state-store' = 'memory', and the query now runs "
        + "with 'rocksdb'; restart it with the state store it started with (SET 'state-store' = 'memory')"),
        e.getMessage());
    // And back with the store it started with, it goes on.
    session.sql("SET 'state-store' = 'memory'");
    StreamingQuery again = start.get();
    session.memoryStream("s").addData(Row.of("a", 1L, 1.0));
    again.processAllAvailable();
    again.stop();
    assertEquals(List.of(Row.of("a", 2L)), session.memoryTableRows("switched"));
  }

  @Test
  void countDistinctKeepsTheValuesItHasSeenInRocksDbAcrossRestarts() {
    // A value seen in an earlier batch is in RocksDB, not in memory: it must not be counted again.
    StreamTest.of(session, "SELECT k, COUNT(DISTINCT v) AS dv, COUNT(*) AS c FROM s GROUP BY k")
        .outputMode(OutputMode.UPDATE).restartAfterEveryAction().run(
            addData("s", Row.of("a", 1L, 0.0), Row.of("a", 2L, 0.0), Row.of("b", 1L, 0.0), Row.of("a", 1L, 0.0)),
            checkAnswer(Row.of("a", 2L, 3L), Row.of("b", 1L, 1L)),
            addData("s", Row.of("a", 1L, 0.0), Row.of("a", 3L, 0.0), Row.of("b", 1L, 0.0), Row.of("b", null, 0.0)),
            checkAnswer(Row.of("a", 3L, 5L), Row.of("b", 1L, 3L)),
            addData("s", Row.of("b", 2L, 0.0), Row.of("a", 2L, 0.0)),
            checkAnswer(Row.of("a", 3L, 6L), Row.of("b", 2L, 4L)));
  }

  private static Set<String> sstFiles(Path state) throws Exception {
    try (Stream<Path> files = Files.list(state.resolve("sst"))) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
