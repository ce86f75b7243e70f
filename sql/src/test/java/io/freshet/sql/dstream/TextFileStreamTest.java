package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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
    JavaStreamingContext ssc = ManualBatches.context("files");
    ManualBatches batches = new ManualBatches(ssc);
    ssc.checkpoint(tmp.resolve("cp").toString());
    List<String> seen = new ArrayList<>();
    ssc.textFileStream(dir.toString()).foreachRDD((rdd, time) -> seen.add(time.milliseconds() / 1000 + ": "
        + rdd.collect()));
    ssc.start();
    batches.next();
    Path staged = Files.writeString(tmp.resolve("new.txt"), "a\nb\n");
    Files.move(staged, dir.resolve("new.txt"), StandardCopyOption.ATOMIC_MOVE);
    batches.next();
    batches.next();
    ssc.stop();
    assertEquals(List.of("1: []", "2: [a, b]", "3: []"), seen);
  }
}
