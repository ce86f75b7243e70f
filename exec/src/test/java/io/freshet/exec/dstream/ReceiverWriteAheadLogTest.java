package io.freshet.exec.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.exec.dstream.storage.StorageLevel;
import io.freshet.exec.dstream.streaming.Durations;
import io.freshet.exec.dstream.streaming.api.java.JavaStreamingContext;
import io.freshet.exec.dstream.streaming.receiver.Receiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void aBatchThatDidNotCommitRunsAgainWithTheSameItems() throws Exception {
    Fed first = program(true);
    first.feed("a");
    clock.advance();
    first.feed("b", "c");
    clock.advance();
    first.feed("d");
    ssc.stop();
    // As if the process died after batch 2 ran its outputs but before its commit entry was written.
    Files.delete(tmp.resolve("cp").resolve("commits").resolve("1"));
    program(true); // the clock resumes at batch 1's time; batch 2 runs again first
    clock.advance();
    clock.advance();
    assertEquals(List.of("1: [a]", "2: [b, c]", "2: [b, c]", "3: [d]"), out);
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
}
