package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.exec.format.SinkManifest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Trigger.Once()} and {@code SET 'trigger' = 'once'}, as Spark's: all the data there when the query starts in
 * one batch, whatever the sources' per-batch limits, then the query ends.
 */
class TriggerOnceTest {
  @TempDir
  Path tmp;
  private Path in;
  private Path cp;
  private FreshetSession session;
  private int fileNumber;

  @BeforeEach
  void setUp() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    cp = tmp.resolve("cp");
    session = FreshetSession.builder().create();
    // At most one file a batch: the once trigger reads them all in one all the same.
    session.sql("CREATE STREAM lines WITH ('connector' = 'file', 'path' = '" + in + "', 'maxFilesPerTrigger' = '1')");
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  /** Writes a file elsewhere and renames it into the watched directory, in order of the drops. */
  private void drop(String line) throws IOException {
    Path file = Files.createDirectories(tmp.resolve("staging")).resolve("f" + fileNumber + ".txt");
    Files.writeString(file, line + "\n");
    file.toFile().setLastModified(1_700_000_000_000L + 1000L * fileNumber++);
    Files.move(file, in.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Runs the query with the once trigger to its end; returns each batch it ran as {@code id:rows}. */
  private List<String> runOnce() {
    List<String> batches = new ArrayList<>();
    StreamingQuery q = session.sql("SELECT * FROM lines").writeStream().trigger(Trigger.Once())
        .option("checkpointLocation", cp.toString()).foreachBatch((rows, id) -> batches.add(id + ":" + rows.collectAsList()))
        .start();
    q.awaitTermination();
    assertFalse(q.isActive());
    return batches;
  }

  @Test
  void threeFilesWithOneFilePerTriggerAreOneBatchAndTheQueryEnds() throws Exception {
    drop("a");
    drop("b");
    drop("c");
    assertEquals(List.of("0:[[a], [b], [c]]"), runOnce());

    // Restarted from its checkpoint after new files arrived: the new files, in one more batch.
    drop("d");
    drop("e");
    assertEquals(List.of("1:[[d], [e]]"), runOnce());
    // Nothing new: no batch.
    assertEquals(List.of(), runOnce());
  }

  @Test
  void aBatchARestartRunsAgainIsTheOneBatchAndNewFilesWaitForTheNextRun() throws Exception {
    drop("a");
    drop("b");
    assertEquals(List.of("0:[[a], [b]]"), runOnce());
    drop("c");
    assertEquals(List.of("1:[[c]]"), runOnce());
    // As if the process died after batch 1 ran and before its commit: the restart runs it again, and only it.
    Files.delete(cp.resolve("commits").resolve("1"));
    drop("d");
    assertEquals(List.of("1:[[c]]"), runOnce());
    assertEquals(List.of("2:[[d]]"), runOnce());
  }

  @Test
  void setTriggerOnceInSql() throws Exception {
    Path out = tmp.resolve("out");
    drop("a");
    drop("b");
    drop("c");
    session.sql("SET 'trigger' = 'once'");
    session.sql("SET 'checkpoint-location' = '" + cp + "'");
    session.sql("CREATE TABLE copy WITH ('connector' = 'file', 'path' = '" + out + "', 'format' = 'text')");
    StreamingQuery q = ((StatementResult.Started) session.execute("INSERT INTO copy SELECT * FROM lines", 1, 1))
        .query();
    q.awaitTermination();
    assertEquals(List.of(out.resolve("part-000000-0000.text")), SinkManifest.committedFiles(out));
    assertEquals(List.of("a", "b", "c"), Files.readAllLines(out.resolve("part-000000-0000.text")));

    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("SET 'trigger' = 'twice'"));
    assertEquals("Unknown trigger 'twice'; write available-now, once, continuous, or processing-time <interval> "
        + "(e.g. processing-time 1 second)", e.getMessage());
  }

  @Test
  void nexmarkMaxEventsPerBatchDoesNotSplitTheOnceBatch() {
    session.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '1000', "
        + "'max-events-per-batch' = '100')");
    List<Long> batches = new ArrayList<>();
    StreamingQuery q = session.sql("SELECT auction FROM bids").writeStream().trigger(Trigger.Once())
        .foreachBatch((rows, id) -> batches.add(id)).start();
    q.awaitTermination();
    assertEquals(List.of(0L), batches);
    // Every bid of the 1000 events (46 in 50 are bids) in that batch.
    assertEquals(920, q.recentProgress().stream().mapToLong(p -> p.numInputRows()).sum());
  }
}
