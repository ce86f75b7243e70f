package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.dstream.SparkConf;
import io.freshet.exec.dstream.streaming.Durations;
import io.freshet.exec.dstream.streaming.Time;
import io.freshet.exec.dstream.streaming.api.java.JavaStreamingContext;
import io.freshet.exec.dstream.streaming.scheduler.StreamingListener;
import io.freshet.exec.dstream.streaming.scheduler.StreamingListenerBatchCompleted;
import io.freshet.exec.dstream.util.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** textFileStream: files there before the start are ignored; each new file's lines come in the next batch. */
class TextFileStreamTest {
  @TempDir
  Path tmp;

  @Test
  void readsOnlyNewFilesOnceEach() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(dir.resolve("old.txt"), "old line\n");
    dir.resolve("old.txt").toFile().setLastModified(System.currentTimeMillis() - 60_000);
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("files")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    ssc.checkpoint(tmp.resolve("cp").toString());
    List<String> batches = new ArrayList<>();
    ssc.textFileStream(dir.toString()).foreachRDD((rdd, time) -> batches.add(time.milliseconds() / 1000 + ": "
        + rdd.collect()));
    LinkedBlockingQueue<Time> done = new LinkedBlockingQueue<>();
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
        done.add(batchCompleted.batchInfo().batchTime());
      }
    });
    ssc.start();
    ManualClock clock = (ManualClock) ssc.clock();
    clock.advance(1000);
    assertTrue(done.poll(30, TimeUnit.SECONDS) != null);
    Path staged = Files.writeString(tmp.resolve("new.txt"), "a\nb\n");
    Files.move(staged, dir.resolve("new.txt"), StandardCopyOption.ATOMIC_MOVE);
    clock.advance(1000);
    assertTrue(done.poll(30, TimeUnit.SECONDS) != null);
    clock.advance(1000);
    assertTrue(done.poll(30, TimeUnit.SECONDS) != null);
    ssc.stop();
    assertEquals(List.of("1: []", "2: [a, b]", "3: []"), batches);
  }
}
