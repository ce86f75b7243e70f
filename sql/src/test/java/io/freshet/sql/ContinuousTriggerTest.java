package io.freshet.sql;

import static io.freshet.sql.WindowAggregationTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.engine.CrashPoint;
import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuous trigger ({@code Trigger.Continuous()}, {@code SET 'trigger' = 'continuous'}): batches back to back,
 * each batch's state files and commit entry written in the background while the next batch runs, with the same
 * answers and the same exactly-once guarantee as the default trigger.
 */
class ContinuousTriggerTest {
  @TempDir
  Path tmp;
  private FreshetSession session;
  private int fileNumber;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM s (k VARCHAR, v BIGINT, ts TIMESTAMP(3), "
        + "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory')");
  }

  @AfterEach
  void tearDown() {
    CrashPoint.setHook(null);
    session.close();
  }

  @Test
  void windowsAndRunningCountsAreUnchangedWithARestartAfterEveryBatch() {
    WindowAggregationTest.restartingBetweenEveryBatch(session, Trigger.Continuous());
    // The setting names it too.
    session.sql("SET 'trigger' = 'continuous'");
    assertEquals(Trigger.Continuous(), Trigger.parse(session.conf().get("trigger")));
  }

  @Test
  void rocksDbStateAndAChangeOfParallelismMixWithTheBackgroundCheckpoints() {
    session.sql("SET 'state-store' = 'rocksdb'");
    // RocksDB writes its checkpoint on the batch's threads; the deduplication's state files go to the background.
    StreamTest.of(session, "SELECT k, COUNT(*) AS c, SUM(v) AS t FROM (SELECT DISTINCT k, v FROM s) GROUP BY k")
        .outputMode(OutputMode.COMPLETE).trigger(Trigger.Continuous()).restartAfterEveryAction().run(
            StreamTest.parallelism(session, 2),
            StreamTest.addData("s", row("a", 1, 1), row("b", 2, 2), row("a", 1, 3)),
            StreamTest.checkAnswer(Row.of("a", 1L, 1L), Row.of("b", 1L, 2L)),
            StreamTest.parallelism(session, 3),
            StreamTest.addData("s", row("a", 3, 4), row("b", 2, 5)),
            StreamTest.checkAnswer(Row.of("a", 2L, 4L), Row.of("b", 1L, 2L)),
            StreamTest.parallelism(session, 1),
            StreamTest.addData("s", row("c", 5, 6), row("a", 3, 7)),
            StreamTest.checkAnswer(Row.of("a", 2L, 4L), Row.of("b", 1L, 2L), Row.of("c", 1L, 5L)));
  }

  /** A file stream {@code lines} over a new directory, returned, whose files are deleted once read and committed. */
  private Path cleanedLines() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    session.sql("CREATE STREAM lines WITH ('connector' = 'file', 'path' = '" + in + "', 'maxFilesPerTrigger' = '1', "
        + "'cleanSource' = 'delete')");
    return in;
  }

  /** The names of the files in {@code dir}, sorted. */
  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** In a crash point's hook: waits for {@code latch} (the query's thread reaching a point), else fails. */
  private static void awaitIn(CountDownLatch latch, String never) {
    try {
      assertTrue(latch.await(60, TimeUnit.SECONDS), never);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes a line file elsewhere and renames it into the watched directory, in order of the drops. */
  private void drop(Path in, String... lines) throws IOException {
    Path file = Files.createDirectories(tmp.resolve("staging")).resolve("f" + fileNumber + ".txt");
    Files.writeString(file, String.join("\n", lines) + "\n");
    file.toFile().setLastModified(1_700_000_000_000L + 1000L * fileNumber++);
    Files.move(file, in.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aCrashBetweenTheStateFilesAndTheCommitWhileTheNextBatchRunsResumesExactly() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path cp = tmp.resolve("cp");
    session.sql("CREATE STREAM lines WITH ('connector' = 'file', 'path' = '" + in + "', 'maxFilesPerTrigger' = '1')");
    drop(in, "a", "b");
    drop(in, "a");
    Map<Long, List<String>> delivered = new TreeMap<>();
    List<Long> batchIds = new ArrayList<>();
    // Batch 0's checkpoint is held after its state files are on disk until batch 1 (its offset entry queued behind
    // it, its rows computed) waits for it before its sink commit; then the process "dies" there: commits/0 and
    // offsets/1 are never written.
    CountDownLatch batchOneWaits = new CountDownLatch(1);
    AtomicBoolean crashed = new AtomicBoolean();
    CrashPoint.setHook(point -> {
      if (point.equals("checkpoint-await")) {
        batchOneWaits.countDown();
      } else if (point.equals("async-state-written") && crashed.compareAndSet(false, true)) {
        awaitIn(batchOneWaits, "batch 1 never waited for batch 0's checkpoint");
        throw new IllegalStateException("simulated crash between the state files and the commit entry");
      }
    });
    String query = "SELECT value AS word, COUNT(*) AS n FROM lines GROUP BY value";
    StreamingQuery first = start(query, cp, delivered, batchIds);
    RuntimeException failure = assertThrows(RuntimeException.class, first::awaitTermination);
    CrashPoint.setHook(null);
    assertTrue(allMessages(failure).contains("Writing the checkpoint of batch 0 (its state files and commit entry) "
        + "in the background failed, and the query stopped: simulated crash"), allMessages(failure));
    assertEquals(List.of(0L), batchIds);
    assertTrue(Files.exists(cp.resolve("offsets/0")));
    assertTrue(!Files.exists(cp.resolve("commits/0")) && !Files.exists(cp.resolve("offsets/1")));

    // The restart runs batch 0 again from its logged offsets, then the other files: counts neither lost nor
    // doubled.
    drop(in, "a", "c");
    StreamingQuery second = start(query, cp, delivered, batchIds);
    second.processAllAvailable();
    second.stop();
    assertEquals(List.of(0L, 0L, 1L, 2L), batchIds);
    assertEquals(List.of("[a,1]", "[b,1]"), delivered.get(0L));
    assertEquals(List.of("[a,2]", "[b,1]"), delivered.get(1L));
    assertEquals(List.of("[a,3]", "[b,1]", "[c,1]"), delivered.get(2L));
    assertTrue(Files.exists(cp.resolve("commits/2")));
  }

  private StreamingQuery start(String query, Path cp, Map<Long, List<String>> delivered, List<Long> batchIds) {
    return session.sql(query).writeStream().outputMode(OutputMode.COMPLETE).trigger(Trigger.Continuous())
        .foreachBatch((rows, batchId) -> {
          synchronized (delivered) {
            batchIds.add(batchId);
            delivered.put(batchId, rows.collectAsList().stream().map(Object::toString).sorted().toList());
          }
        })
        .option("checkpointLocation", cp.toString()).start();
  }

  @Test
  void aBackgroundWriteThatFailsStopsTheQueryAndSaysWhichBatch() throws Exception {
    Path cp = tmp.resolve("cp");
    StreamingQuery q = session.sql("SELECT k, COUNT(*) AS c FROM s GROUP BY k").writeStream().format("memory")
        .queryName("counts").outputMode(OutputMode.UPDATE).trigger(Trigger.Continuous())
        .option("checkpointLocation", cp.toString()).start();
    session.memoryStream("s").addData(row("a", 1, 1));
    q.processAllAvailable();
    // The commit log can no longer be written: a file stands where its directory was.
    Path commits = cp.resolve("commits");
    try (Stream<Path> files = Files.list(commits)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(commits);
    Files.writeString(commits, "not a directory");
    session.memoryStream("s").addData(row("a", 2, 2));
    RuntimeException e = assertThrows(RuntimeException.class, q::processAllAvailable);
    String message = allMessages(e);
    assertTrue(message.contains("Writing the checkpoint of batch 1 (its state files and commit entry) in the "
        + "background failed, and the query stopped"), message);
    assertTrue(message.contains("Cannot write checkpoint file " + commits.resolve("1")), message);
    assertTrue(!q.isActive());
  }

  @Test
  void aCommitOnDiskIsFollowedUpEvenWhenTheWriteAfterItFails() throws Exception {
    Path in = cleanedLines();
    Path cp = tmp.resolve("cp");
    drop(in, "a");
    drop(in, "b");
    drop(in, "c");
    // Batch 1's checkpoint is held after its state files until batch 2 waits for it; then the offset log can no
    // longer be written: commits/1 reaches the disk, offsets/2 fails.
    java.util.concurrent.atomic.AtomicInteger awaits = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
    CountDownLatch batchTwoWaits = new CountDownLatch(1);
    CrashPoint.setHook(point -> {
      if (point.equals("checkpoint-await") && awaits.incrementAndGet() == 3) {
        batchTwoWaits.countDown();
      } else if (point.equals("async-state-written") && written.incrementAndGet() == 2) {
        awaitIn(batchTwoWaits, "batch 2 never waited for batch 1's checkpoint");
        try {
          Files.move(cp.resolve("offsets"), cp.resolve("offsets-aside"));
          Files.writeString(cp.resolve("offsets"), "not a directory");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    StreamingQuery q = start("SELECT value AS word, COUNT(*) AS n FROM lines GROUP BY value", cp, new TreeMap<>(),
        new ArrayList<>());
    RuntimeException failure = assertThrows(RuntimeException.class, q::awaitTermination);
    CrashPoint.setHook(null);
    assertTrue(allMessages(failure).contains("Writing the offset log entry of batch 2 in the background failed"),
        allMessages(failure));
    assertTrue(Files.exists(cp.resolve("commits/1")));
    // As under the default trigger, the source learnt that batch 1 committed: its file is cleaned up.
    assertEquals(List.of("f2.txt"), names(in));
  }

  @Test
  void theBatchRunAgainAtARestartIsFollowedUpLikeAnyOther() throws Exception {
    Path in = cleanedLines();
    Path cp = tmp.resolve("cp");
    drop(in, "a");
    // Batch 0's commit entry is never written: the restart runs it again.
    CrashPoint.setHook(point -> {
      if (point.equals("async-state-written")) {
        throw new IllegalStateException("simulated crash between the state files and the commit entry");
      }
    });
    String query = "SELECT value AS word, COUNT(*) AS n FROM lines GROUP BY value";
    StreamingQuery first = start(query, cp, new TreeMap<>(), new ArrayList<>());
    assertThrows(RuntimeException.class, first::awaitTermination);
    CrashPoint.setHook(null);
    assertTrue(!Files.exists(cp.resolve("commits/0")) && Files.exists(in.resolve("f0.txt")));

    drop(in, "b");
    StreamingQuery second = start(query, cp, new TreeMap<>(), new ArrayList<>());
    second.processAllAvailable();
    second.stop();
    // Both batches committed, and the source cleaned up the files of both, the one run again included.
    assertTrue(Files.exists(cp.resolve("commits/1")));
    assertEquals(List.of(), names(in));
  }

  @Test
  void processAllAvailableWaitsForASourceWhoseBatchLimitCountsFromItsCommit() {
    // The nexmark source hands out at most max-events-per-batch events past what it was told committed.
    session.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '100', "
        + "'max-events-per-batch' = '10')");
    Map<Long, List<String>> delivered = new TreeMap<>();
    // Batch 0's checkpoint is held until the query's thread waits for it: the source has not heard of the commit
    // when the query next asks it what is new.
    java.util.concurrent.atomic.AtomicInteger awaits = new java.util.concurrent.atomic.AtomicInteger();
    CountDownLatch waited = new CountDownLatch(1);
    AtomicBoolean held = new AtomicBoolean();
    CrashPoint.setHook(point -> {
      if (point.equals("checkpoint-await") && awaits.incrementAndGet() == 2) {
        waited.countDown();
      } else if (point.equals("async-state-written") && held.compareAndSet(false, true)) {
        awaitIn(waited, "the query never waited for batch 0's checkpoint");
      }
    });
    StreamingQuery q = start("SELECT COUNT(*) AS n FROM bids", tmp.resolve("cp"), delivered, new ArrayList<>());
    q.processAllAvailable();
    CrashPoint.setHook(null);
    q.stop();
    List<String> last;
    synchronized (delivered) {
      last = delivered.get(((TreeMap<Long, List<String>>) delivered).lastKey());
    }
    session.sql("SET 'trigger' = 'available-now'");
    List<Row> all = session.sql("SELECT COUNT(*) AS n FROM bids").collectAsList();
    assertEquals(List.of(all.get(0).toString()), last, "processAllAvailable() returned before all events were read");
  }

  @Test
  void triggersWithoutNewDataWriteNoCheckpointFiles() throws Exception {
    for (Trigger trigger : List.of(Trigger.Continuous(), Trigger.ProcessingTime(0))) {
      Path cp = tmp.resolve("cp-" + trigger.getClass().getSimpleName());
      StreamingQuery q = session.sql("SELECT k, COUNT(*) AS c FROM s GROUP BY k").writeStream().format("memory")
          .queryName("idle_" + trigger.getClass().getSimpleName()).outputMode(OutputMode.UPDATE).trigger(trigger)
          .option("checkpointLocation", cp.toString()).start();
      session.memoryStream("s").addData(row("a", 1, 1));
      q.processAllAvailable();
      String before = listing(cp);
      long batch = q.lastProgress().batchId();
      for (int i = 0; i < 5; i++) {
        q.processAllAvailable(); // each waits for a trigger that finds nothing new
      }
      assertEquals(before, listing(cp), trigger + ": an idle trigger wrote to the checkpoint");
      assertEquals(batch, q.lastProgress().batchId());
      q.stop();
    }
  }

  /** Every file under {@code dir} with its size and modification time, one a line. */
  private static String listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).sorted().map(p -> {
        try {
          return dir.relativize(p) + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
  }

  private static String allMessages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }
}
