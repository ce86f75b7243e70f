package io.freshet.spark.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaRDD;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.streaming.FreshetException;
import java.nio.file.Path;
import java.util.LinkedList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that is refused lets go of what it took: its Arrow allocator and the checkpoint's lock. */
class StreamingContextStartTest {
  @TempDir
  Path tmp;
  private JavaStreamingContext running;

  @AfterEach
  void tearDown() {
    if (running != null) {
      running.stop();
    }
  }

  private JavaStreamingContext program(long batchMs) {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("start")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(batchMs));
    ssc.checkpoint(tmp.resolve("cp").toString());
    ssc.queueStream(new LinkedList<JavaRDD<String>>()).print();
    return ssc;
  }

  @Test
  void aStartRefusedForItsCheckpointClosesItsAllocatorAndLetsTheCheckpointGo() {
    running = program(1000);
    running.start();
    assertNotNull(running.ssc().allocator());
    running.stop();
    assertNull(running.ssc().allocator());
    running = null;

    // The checkpoint's graph says 1 s batches: a program of 2 s batches is refused after it made its allocator.
    JavaStreamingContext refused = program(2000);
    FreshetException e = assertThrows(FreshetException.class, refused::start);
    assertTrue(e.getMessage().contains("with a batch interval of 1000 ms, and this one has 2000 ms"), e.getMessage());
    assertEquals(0, e.getSuppressed().length, "the refused start leaked Arrow memory");
    assertNull(refused.ssc().allocator(), "the refused start kept its allocator open");
    assertEquals(StreamingContextState.INITIALIZED, refused.getState());
    refused.stop(); // nothing to let go of

    // Nor does it keep the checkpoint: the program it belongs to starts on it.
    running = program(1000);
    running.start();
    assertEquals(StreamingContextState.ACTIVE, running.getState());
  }

  @Test
  void aStartRefusedBecauseTheCheckpointIsInUseTakesNothing() {
    running = program(1000);
    running.start();
    JavaStreamingContext second = program(1000);
    FreshetException e = assertThrows(FreshetException.class, second::start);
    assertTrue(e.getMessage().startsWith("The checkpoint " + tmp.resolve("cp") + " is in use by query start"),
        e.getMessage());
    assertNull(second.ssc().allocator());
    assertNotNull(running.ssc().allocator(), "the refusal touched the running context");
  }
}
