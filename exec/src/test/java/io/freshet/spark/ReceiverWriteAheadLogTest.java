package io.freshet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.storage.StorageLevel;
import io.freshet.spark.streaming.Durations;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.receiver.Receiver;
import io.freshet.streaming.FreshetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receivers' write-ahead log: what a receiver stored is in the checkpoint when {@code store} returns, so a
 * restart gives every stored item to a batch exactly once, including a batch that ran but did not commit.
 */
class ReceiverWriteAheadLogTest {
  @TempDir
  Path tmp;
  private JavaStreamingContext ssc;
  private BatchClock clock;
  private final List<String> out = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    if (ssc != null) {
      ssc.stop();
    }
  }

  /** A receiver the test feeds: {@code feed} stores from the test's thread, as a reliable receiver would. */
  static final class Fed extends Receiver<String> {
    Fed() {
      super(StorageLevel.MEMORY_AND_DISK_SER_2);
    }

    @Override
    public void onStart() {
    }

    @Override
    public void onStop() {
    }

    void feed(String... items) {
      store(new ArrayList<>(List.of(items)));
    }
  }

  private Fed program(boolean wal) {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("wal")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock")
        .set("spark.streaming.receiver.writeAheadLog.enable", Boolean.toString(wal));
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    clock = new BatchClock(ssc, 1000);
    ssc.checkpoint(tmp.resolve("cp").toString());
    Fed receiver = new Fed();
    ssc.receiverStream(receiver).foreachRDD((rdd, time) -> out.add(time.milliseconds() / 1000 + ": " + rdd.collect()));
    ssc.start();
    return receiver;
  }

  @Test
  void whatWasStoredButNotInACommittedBatchComesBackAfterARestart() throws Exception {
    Fed first = program(true);
    first.feed("a", "b");
    clock.advance();
    first.feed("c", "d"); // acknowledged: in the log, in no batch yet
    ssc.stop();
    program(true);
    clock.advance();
    clock.advance();
    assertEquals(List.of("1: [a, b]", "2: [c, d]", "3: []"), out);
  }

  @Test
  void withoutTheLogItIsLost() throws Exception {
    Fed first = program(false);
    first.feed("a", "b");
    clock.advance();
    first.feed("c", "d");
    ssc.stop();
    program(false);
    clock.advance();
    assertEquals(List.of("1: [a, b]", "2: []"), out);
  }

  /**
   * Batch 1 takes a, batch 2 b and c, then d is stored and the program stops; batch 2's commit entry is deleted, as
   * if the process died after batch 2 ran its outputs but before that entry was written.
   */
  private void secondBatchRanAndDidNotCommit() throws Exception {
    Fed first = program(true);
    first.feed("a");
    clock.advance();
    first.feed("b", "c");
    clock.advance();
    first.feed("d");
    ssc.stop();
    Files.delete(tmp.resolve("cp").resolve("commits").resolve("1"));
  }

  /** After {@link #secondBatchRanAndDidNotCommit}: batch 2 runs again with the same items, then batch 3 takes d. */
  private void secondBatchRunsAgainWithTheSameItems() throws Exception {
    program(true); // the clock resumes at batch 1's time; batch 2 runs again first
    clock.advance();
    clock.advance();
    assertEquals(List.of("1: [a]", "2: [b, c]", "2: [b, c]", "3: [d]"), out);
  }

  @Test
  void aBatchThatDidNotCommitRunsAgainWithTheSameItems() throws Exception {
    secondBatchRanAndDidNotCommit();
    secondBatchRunsAgainWithTheSameItems();
  }

  @Test
  void theLogNeedsACheckpointDirectory() {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("wal")
        .set("spark.streaming.receiver.writeAheadLog.enable", "true");
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    ssc.receiverStream(new Fed()).print();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ssc::start);
    assertEquals("Cannot enable receiver write-ahead log without checkpoint directory set. Please use "
        + "streamingContext.checkpoint() to set the checkpoint directory. See documentation for more details.",
        e.getMessage());
  }

  private Path segment() {
    return tmp.resolve("cp").resolve("receivedData").resolve("0").resolve("log-0");
  }

  /** Flips one bit in the payload of record {@code n} (0-based) of the segment. */
  private void flipBitOfRecord(int n) throws Exception {
    byte[] bytes = Files.readAllBytes(segment());
    bytes[startOfRecord(n) + 12] ^= 0x04;
    Files.write(segment(), bytes);
  }

  /**
   * Cuts the segment's last record short by {@code n} bytes, its line break among them: what a crash while it was
   * appended leaves.
   */
  private void cutShortLastRecord(int n) throws Exception {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(segment(), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - n);
    }
  }

  /** Where record {@code n} (0-based) of the segment starts. */
  private int startOfRecord(int n) throws Exception {
    byte[] bytes = Files.readAllBytes(segment());
    int at = 0;
    for (int i = 0; i < n; i++) {
      at = indexOf(bytes, (byte) '\n', at) + 1;
    }
    return at;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aDamagedRecordInTheMiddleOfTheLogIsRefusedNamingTheFile() throws Exception {
    Fed first = program(true);
    first.feed("a", "b");
    clock.advance();
    first.feed("c", "d");
    ssc.stop();
    flipBitOfRecord(2);
    FreshetException e = assertThrows(FreshetException.class, () -> program(true));
    assertEquals(FreshetException.Kind.USER, e.kind());
    assertTrue(e.getMessage().startsWith("The write-ahead log of receiver 0 (Fed) is damaged: record 3 (at byte ")
        && e.getMessage().contains(") of " + segment() + " is damaged (its CRC32C does not match")
        && e.getMessage().contains("which a crash cannot do (it cuts a record short). Restore the checkpoint from a "
        + "backup, or start with a new checkpoint directory"), e.getMessage());
  }

  @Test
  void aCutShortLastRecordThatABatchTookIsRefused() throws Exception {
    Fed first = program(true);
    first.feed("a", "b");
    clock.advance();
    ssc.stop();
    cutShortLastRecord(3);
    Map<String, String> before = logFiles();
    for (int attempt = 0; attempt < 2; attempt++) {
      FreshetException e = assertThrows(FreshetException.class, () -> program(true));
      assertTrue(e.getMessage().contains("record 2 (at byte ") && e.getMessage().contains(segment().toString())
          && e.getMessage().contains("is cut short (it does not end with a line break), and a batch took it (it is "
          + "item 1, and the batches took items up to 2)"), e.getMessage());
      assertEquals(before, logFiles(), "a refused start changed the log");
    }
  }

  /**
   * A crash cuts a record short; a whole last record whose checksum fails was damaged at rest, and dropping it would
   * lose an item {@code store} acknowledged: refused like damage anywhere else, and a refused start changes nothing.
   */
  @Test
  void aBitFlippedInAWholeLastRecordIsRefusedNamingTheFileAndRecord() throws Exception {
    Fed first = program(true);
    first.feed("a", "b");
    clock.advance();
    first.feed("c", "d"); // acknowledged, in no batch yet
    ssc.stop();
    refusedUntilPutBack(segment(), segment -> flipBitOfRecord(3), "The write-ahead log of receiver 0 (Fed) is "
        + "damaged: record 4 (at byte " + startOfRecord(3) + ") of " + segment() + " is damaged (its CRC32C does not "
        + "match its checksum, or it has none), which a crash cannot do (it cuts a record short). Restore the "
        + "checkpoint from a backup, or start with a new checkpoint directory (what the receiver stored and no "
        + "committed batch used is then lost)", "1: [a, b]", "2: [c, d]");
  }

  @Test
  void aLastRecordCutShortByACrashIsDroppedAndTheRestartGivesTheExactAnswer() throws Exception {
    Fed first = program(true);
    first.feed("a", "b");
    clock.advance();
    first.feed("c", "d");
    first.feed("e"); // its record is cut short: as if the crash hit while it was appended
    ssc.stop();
    cutShortLastRecord(3);
    program(true);
    clock.advance();
    ssc.stop();
    // As if the process died while appending another record: no line break, no batch took it.
    Files.writeString(segment(), "0badc0de {\"Str", StandardOpenOption.APPEND);
    Fed third = program(true);
    third.feed("f");
    clock.advance();
    assertEquals(List.of("1: [a, b]", "2: [c, d]", "3: [f]"), out);
  }

  private Path block(long ms) {
    return tmp.resolve("cp").resolve("receivedData").resolve("0").resolve("blocks").resolve(Long.toString(ms));
  }

  /** Every file of the receivers' logs and its bytes, to see that a refused start changed nothing. */
  private Map<String, String> logFiles() throws Exception {
    return DirectoryContents.of(tmp.resolve("cp").resolve("receivedData"));
  }

  /** Damages a file of the checkpoint. */
  interface Fault {
    void apply(Path file) throws Exception;
  }

  /**
   * Runs two batches (the second, at 2 s, takes {@code second}) and stops; {@code fault} then damages the block of
   * the second batch, the last committed one. The restart must be refused naming the block, and so must a second
   * restart: the refused one left the log as it was. With the block put back, the program goes on exactly.
   */
  private void lastCommittedBlockDamaged(List<String> second, Fault fault, String problem) throws Exception {
    Fed first = program(true);
    first.feed("a", "b");
    clock.advance();
    first.feed(second.toArray(new String[0]));
    clock.advance();
    first.feed("d"); // stored, in no batch yet
    ssc.stop();
    byte[] intact = Files.readAllBytes(block(2000));
    fault.apply(block(2000));
    Map<String, String> before = logFiles();
    for (int attempt = 0; attempt < 2; attempt++) {
      FreshetException e = assertThrows(FreshetException.class, () -> program(true));
      assertEquals(FreshetException.Kind.USER, e.kind());
      assertTrue(e.getMessage().startsWith("The write-ahead log of receiver 0 (Fed) cannot tell which of its items "
          + "the last committed batch (2000 ms) took: its block " + block(2000) + " is " + problem)
          && e.getMessage().endsWith(". Every batch writes its block, also one that took no items, and without it "
          + "those items would go to a batch a second time. Restore the checkpoint from a backup, or start with a "
          + "new checkpoint directory (what the receiver stored and no committed batch used is then lost)"),
          e.getMessage());
      assertEquals(before, logFiles(), "a refused start changed the log");
    }
    Files.write(block(2000), intact);
    program(true);
    clock.advance();
    assertEquals(List.of("1: [a, b]", "2: " + second, "3: [d]"), out);
  }

  @Test
  void theBlockOfTheLastCommittedBatchDeletedIsRefusedNamingIt() throws Exception {
    // Without its block, items c and e looked stored but in no batch, and went to batch 3 a second time.
    lastCommittedBlockDamaged(List.of("c", "e"), Files::delete, "missing");
  }

  @Test
  void theBlockOfTheLastCommittedBatchEmptiedIsRefusedNamingIt() throws Exception {
    lastCommittedBlockDamaged(List.of("c"), block -> Files.write(block, new byte[0]), "empty");
  }

  @Test
  void theBlockOfTheLastCommittedBatchWithABitFlippedIsRefusedNamingIt() throws Exception {
    lastCommittedBlockDamaged(List.of("c"), block -> {
      byte[] bytes = Files.readAllBytes(block);
      bytes[0] ^= 0x01; // "2 3 2000" becomes "3 3 2000": the batch would seem to have taken nothing
      Files.write(block, bytes);
    }, "damaged: its CRC32C is ");
  }

  @Test
  void theBlockOfALastCommittedBatchThatTookNoItemsIsRequiredToo() throws Exception {
    lastCommittedBlockDamaged(List.of(), Files::delete, "missing");
  }

  @Test
  void theBlockOfTheLastCommittedBatchReplacedByAnotherBatchsIsRefusedNamingIt() throws Exception {
    lastCommittedBlockDamaged(List.of("c"),
        block -> Files.copy(block(1000), block, java.nio.file.StandardCopyOption.REPLACE_EXISTING),
        "a copy of the block of the batch of 1000 ms");
  }

  @Test
  void theLogsFirstRunOnACheckpointWhoseBatchesRanWithoutItNeedsNoEarlierBlock() throws Exception {
    Fed first = program(false);
    first.feed("a");
    clock.advance();
    ssc.stop();
    Fed second = program(true);
    second.feed("b"); // the log's first item; the process stops before a batch takes it
    ssc.stop();
    program(true);
    clock.advance();
    assertEquals(List.of("1: [a]", "2: [b]"), out);
  }

  /** Every file of the checkpoint but its lock (whose owner record each start rewrites) and its bytes. */
  private Map<String, String> checkpointFiles() throws Exception {
    Map<String, String> files = new java.util.TreeMap<>(DirectoryContents.of(tmp.resolve("cp")));
    files.remove("lock");
    return files;
  }

  /** The program's start is refused with {@code message}, and a second start the same way: neither changed a file. */
  private void refusedTwiceChangingNothing(String message) throws Exception {
    Map<String, String> before = checkpointFiles();
    for (int attempt = 0; attempt < 2; attempt++) {
      FreshetException e = assertThrows(FreshetException.class, () -> program(true));
      assertEquals(FreshetException.Kind.USER, e.kind());
      assertEquals(message, e.getMessage());
      assertEquals(before, checkpointFiles(), "a refused start changed the checkpoint");
    }
  }

  /**
   * {@code fault} damages {@code file}: the start is refused with {@code message}, twice, changing nothing; with the
   * file put back, the program goes on, and after one more batch the output is {@code expected}.
   */
  private void refusedUntilPutBack(Path file, Fault fault, String message, String... expected) throws Exception {
    byte[] intact = Files.readAllBytes(file);
    fault.apply(file);
    refusedTwiceChangingNothing(message);
    Files.write(file, intact);
    program(true);
    clock.advance();
    assertEquals(List.of(expected), out);
  }

  /**
   * The checkpoint records that the log was enabled, outside the receiver's directory (in the DStream graph file):
   * the directory deleted is then not the log's first run on a checkpoint whose batches ran without it, which lost
   * b, c and d without a word. The start is refused naming the directory, and changes nothing; with the directory
   * put back, the program goes on exactly.
   */
  @Test
  void theReceiversDirectoryDeletedIsRefusedNamingIt() throws Exception {
    secondBatchRanAndDidNotCommit();
    Path dir = tmp.resolve("cp").resolve("receivedData").resolve("0");
    Path aside = tmp.resolve("aside");
    Files.move(dir, aside);
    refusedTwiceChangingNothing("The write-ahead log " + dir + " of receiver 0 (Fed) is missing, and the checkpoint "
        + "records that the log was enabled (" + tmp.resolve("cp").resolve("dstreams").resolve("graph.json") + "): "
        + "it held what the receiver stored and no committed batch used, and which items the last committed batch "
        + "(1000 ms) took. Put the directory back from a backup of the checkpoint, or start with a new checkpoint "
        + "directory (what the receiver stored and no committed batch used is then lost)");
    assertTrue(!Files.exists(dir), "a refused start made " + dir);
    Files.move(aside, dir);
    secondBatchRunsAgainWithTheSameItems();
  }

  /** The log's only segment deleted: the block of the last committed batch says items were stored. */
  @Test
  void theLogsSegmentsDeletedAreRefusedNamingTheLog() throws Exception {
    Fed first = program(true);
    first.feed("a", "b");
    clock.advance();
    first.feed("c"); // stored, in no batch yet: lost with the segment
    ssc.stop();
    refusedUntilPutBack(segment(), Files::delete, "The write-ahead log " + segment().getParent() + " of receiver 0 "
        + "(Fed) has no segment, but the last committed batch (1000 ms) took items up to 2: its segments are missing, "
        + "and with them what the receiver stored after that batch. Restore the checkpoint from a backup, or start "
        + "with a new checkpoint directory (what the receiver stored and no committed batch used is then lost)",
        "1: [a, b]", "2: [c]");
  }

  /** The graph file is where the log is recorded as enabled: a checkpoint with batches and without it is refused. */
  @Test
  void theGraphFileDeletedIsRefusedNamingIt() throws Exception {
    Fed first = program(true);
    first.feed("a");
    clock.advance();
    first.feed("b");
    ssc.stop();
    Path graph = tmp.resolve("cp").resolve("dstreams").resolve("graph.json");
    refusedUntilPutBack(graph, Files::delete, "The DStream graph file " + graph + " of the checkpoint is missing, "
        + "and the checkpoint has batches: it is written before the first one, and holds the zero time, the classes "
        + "of the kept streams and which receivers' write-ahead logs were enabled. Restore the checkpoint from a "
        + "backup, or start with a new checkpoint directory", "1: [a]", "2: [b]");
  }
}
