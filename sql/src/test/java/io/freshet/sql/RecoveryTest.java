package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.memory.MemoryStream;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart from a checkpoint: a committed batch is never run again, an uncommitted one runs again with the same
 * offsets and rows, and a corrupt log entry stops the query with a message naming the file.
 */
class RecoveryTest {
  @TempDir
  Path checkpoint;
  private FreshetSession session;
  private MemoryStream input;
  private final List<String> delivered = new ArrayList<>();

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM s (id BIGINT, word VARCHAR) WITH ('connector' = 'memory')");
    input = session.memoryStream("s");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private StreamingQuery start() {
    return session.sql("SELECT id, UPPER(word) AS w FROM s WHERE id > 0").writeStream()
        .foreachBatch((rows, batchId) -> {
          synchronized (delivered) {
            delivered.add(batchId + ":" + rows.collectAsList());
          }
        })
        .option("checkpointLocation", checkpoint.toString()).start();
  }

  @Test
  void anUncommittedBatchRunsAgainWithTheSameRowsAndNothingIsSkipped() throws Exception {
    StreamingQuery query = start();
    input.addData(Row.of(1L, "a"), Row.of(-1L, "x"));
    query.processAllAvailable();
    input.addData(Row.of(2L, "b"));
    query.processAllAvailable();
    query.stop();
    assertEquals(List.of("0:[[1,A]]", "1:[[2,B]]"), delivered);
    String offsetsOfBatch1 = Files.readString(checkpoint.resolve("offsets/1"));

    // As if the process died after writing offsets/1 but before commits/1.
    Files.delete(checkpoint.resolve("commits/1"));
    input.addData(Row.of(3L, "c"));
    StreamingQuery restarted = start();
    restarted.processAllAvailable();
    restarted.stop();
    assertEquals(query.id(), restarted.id());
    assertTrue(!query.runId().equals(restarted.runId()));
    // Batch 1 again, with exactly its rows; then batch 2 with what came after; nothing else.
    assertEquals(List.of("0:[[1,A]]", "1:[[2,B]]", "1:[[2,B]]", "2:[[3,C]]"), delivered);
    assertEquals(offsetsOfBatch1, Files.readString(checkpoint.resolve("offsets/1")));
  }

  @Test
  void aCommittedBatchIsNeverRunAgain() {
    StreamingQuery query = start();
    input.addData(Row.of(1L, "a"));
    query.processAllAvailable();
    query.stop();
    StreamingQuery again = start();
    again.processAllAvailable();
    input.addData(Row.of(2L, "b"));
    again.processAllAvailable();
    again.stop();
    assertEquals(List.of("0:[[1,A]]", "1:[[2,B]]"), delivered);
    assertEquals(1, again.lastProgress().batchId());
  }

  @Test
  void sqlInsertKeepsItsCheckpointUnderTheSinkNameAndResumesAfterARestart() {
    session.sql("SET 'checkpoint-location' = '" + checkpoint + "'");
    session.sql("CREATE TABLE words (id BIGINT, w VARCHAR) WITH ('connector' = 'memory')");
    String insert = "INSERT INTO words SELECT id, word FROM s";
    StreamingQuery first = ((StatementResult.Started) session.execute(insert, 1, 1)).query();
    input.addData(Row.of(1L, "a"));
    first.processAllAvailable();
    first.stop();
    assertTrue(Files.exists(checkpoint.resolve("words").resolve("offsets").resolve("0")));
    assertTrue(Files.exists(checkpoint.resolve("words").resolve("commits").resolve("0")));

    input.addData(Row.of(2L, "b"));
    StreamingQuery second = ((StatementResult.Started) session.execute(insert, 1, 1)).query();
    second.processAllAvailable();
    second.stop();
    assertEquals(first.id(), second.id(), "the same checkpoint is the same query");
    assertEquals(List.of(Row.of(1L, "a"), Row.of(2L, "b")), session.sql("SELECT * FROM words").collectAsList());
    assertEquals(1, second.lastProgress().batchId());
  }

  @Test
  void aCorruptOffsetEntryStopsTheQueryAndNamesTheFile() throws Exception {
    StreamingQuery query = start();
    input.addData(Row.of(1L, "a"));
    query.processAllAvailable();
    query.stop();
    Path entry = checkpoint.resolve("offsets/0");
    Files.writeString(entry, "v1\n{\"batchId\":0,\"watermarkMs\"");
    StreamingQuery broken = start();
    StreamingQueryException e = assertThrows(StreamingQueryException.class, broken::awaitTermination);
    assertTrue(e.getMessage().contains(entry.toString()), e.getMessage());
    assertEquals(e, broken.exception());
    assertEquals(List.of("0:[[1,A]]"), delivered, "nothing was run from a corrupt checkpoint");
  }

  @Test
  void aTruncatedNewestCommitEntryFallsBackToRunningThatBatchAgain() throws Exception {
    StreamingQuery query = start();
    input.addData(Row.of(1L, "a"));
    query.processAllAvailable();
    input.addData(Row.of(2L, "b"));
    query.processAllAvailable();
    query.stop();
    Path entry = checkpoint.resolve("commits/1");
    Files.write(entry, new byte[0]);

    input.addData(Row.of(3L, "c"));
    StreamingQuery restarted = start();
    restarted.processAllAvailable();
    restarted.stop();
    // Batch 1 runs again with the same rows (a foreachBatch callback may see a batch id twice, as documented).
    assertEquals(List.of("0:[[1,A]]", "1:[[2,B]]", "1:[[2,B]]", "2:[[3,C]]"), delivered);
    assertTrue(Files.exists(checkpoint.resolve("commits/.1.corrupt")), "the corrupt entry is kept aside");
  }

  @Test
  void aCorruptOlderCommitEntryIsNotSilentlySkipped() throws Exception {
    StreamingQuery query = start();
    input.addData(Row.of(1L, "a"));
    query.processAllAvailable();
    input.addData(Row.of(2L, "b"));
    query.processAllAvailable();
    query.stop();
    Files.write(checkpoint.resolve("commits/1"), new byte[0]);
    Files.write(checkpoint.resolve("commits/0"), "v1\n{".getBytes());
    StreamingQuery broken = start();
    StreamingQueryException e = assertThrows(StreamingQueryException.class, broken::awaitTermination);
    assertTrue(e.getMessage().contains(checkpoint.resolve("commits/0").toString()), e.getMessage());
  }

  @Test
  void stopFinishesTheBatchInFlightAndCommitsIt() throws Exception {
    java.util.concurrent.atomic.AtomicReference<StreamingQuery> self = new java.util.concurrent.atomic
        .AtomicReference<>();
    StreamingQuery query = session.sql("SELECT id FROM s").writeStream()
        .foreachBatch((rows, batchId) -> {
          // A stop requested while the batch runs (here from inside it) lets the batch finish and commit.
          self.get().stop();
          delivered.add(batchId + ":" + rows.collectAsList());
        })
        .option("checkpointLocation", checkpoint.toString()).start();
    self.set(query);
    input.addData(Row.of(1L, "a"));
    query.awaitTermination();
    assertEquals(List.of("0:[[1]]"), delivered);
    assertTrue(Files.exists(checkpoint.resolve("commits/0")), "the batch in flight was committed");
    assertTrue(query.exception() == null);
  }
}
