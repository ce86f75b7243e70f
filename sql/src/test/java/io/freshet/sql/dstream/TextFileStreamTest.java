package io.freshet.sql.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.hadoop.io.LongWritable;
import io.freshet.hadoop.io.Text;
import io.freshet.hadoop.mapreduce.InputFormat;
import io.freshet.hadoop.mapreduce.lib.input.TextInputFormat;
import io.freshet.spark.streaming.api.java.JavaPairInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * textFileStream and fileStream: files there before the start are ignored; each new file's lines come in the next
 * batch (fileStream's keyed by the byte offset where each starts).
 */
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

  @Test
  void fileStreamKeysEachLineByItsByteOffsetAsTextInputFormat() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    JavaStreamingContext ssc = ManualBatches.context("files");
    ManualBatches batches = new ManualBatches(ssc);
    ssc.checkpoint(tmp.resolve("cp").toString());
    List<String> seen = new ArrayList<>();
    JavaPairInputDStream<LongWritable, Text> lines = ssc.fileStream(dir.toString(), LongWritable.class, Text.class,
        TextInputFormat.class);
    lines.map(kv -> kv._1().get() + ":" + kv._2() + "(" + kv._2().getLength() + ")").foreachRDD(rdd ->
        seen.add(rdd.collect().toString()));
    ssc.start();
    batches.next();
    // "été" is five bytes in UTF-8; a CRLF line keeps no \r; an empty line is a record.
    Path staged = Files.writeString(tmp.resolve("new.txt"), "été\r\nb\n\nlast");
    Files.move(staged, dir.resolve("new.txt"), StandardCopyOption.ATOMIC_MOVE);
    batches.next();
    ssc.stop();
    assertEquals(List.of("[]", "[0:été(5), 7:b(1), 9:(0), 10:last(4)]"), seen);
    JavaStreamingContext again = ManualBatches.context("other");
    try {
      IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> again.fileStream(
          dir.toString(), Text.class, Text.class, OtherFormat.class));
      assertTrue(other.getMessage().startsWith("fileStream reads TextInputFormat's records"), other.getMessage());
    } finally {
      again.stop();
    }
  }

  /** An input format Freshet does not read. */
  static final class OtherFormat extends InputFormat<Text, Text> {
  }
}
