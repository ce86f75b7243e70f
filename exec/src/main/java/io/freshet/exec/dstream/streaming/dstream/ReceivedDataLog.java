package io.freshet.exec.dstream.streaming.dstream;

import io.freshet.exec.dstream.streaming.Time;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.engine.Checkpoint;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A receiver's write-ahead log ({@code spark.streaming.receiver.writeAheadLog.enable}), under
 * {@code receivedData/<receiver>/} in the checkpoint. What a receiver stores is appended to a segment
 * ({@code log-<first sequence number>}, a line of tagged JSON per item) and forced to disk before {@code store}
 * returns. Each batch's block, the sequence numbers {@code [from, to)} it took, is written to
 * {@code blocks/<batch time>} before the batch runs. On a restart, items of blocks up to the last committed batch
 * are done; a block after it (its batch did not commit) is read back to run again with the same items; items in
 * no block go to the next batches. A line cut short by a crash was never acknowledged and is dropped. Segments
 * and blocks no restart can need are deleted as batches commit.
 */
final class ReceivedDataLog {
  private static final int SEGMENT_ITEMS = 100_000;

  private final Path dir;
  private final String what;
  private long nextSeq;
  private FileChannel segment;
  private int segmentItems;
  /** Blocks of batches that did not commit: time → [from, to), and their items. */
  private final Map<Long, long[]> replay = new TreeMap<>();
  private final Map<Long, List<Object>> replayItems = new TreeMap<>();

  ReceivedDataLog(Path checkpoint, int receiverId, String what) {
    this.dir = checkpoint.resolve("receivedData").resolve(Integer.toString(receiverId));
    this.what = what;
  }

  /**
   * Reads the log back after a restart whose last committed batch is {@code committed} (null when none): returns
   * the items stored but in no block, in order; blocks of uncommitted batches wait in {@link #replayed}.
   */
  List<Object> recover(Time committed) {
    long done = 0;
    try {
      Files.createDirectories(dir.resolve("blocks"));
      for (Path block : list(dir.resolve("blocks"))) {
        long time = Long.parseLong(block.getFileName().toString());
        String[] range = CheckpointFiles.readString(block).trim().split(" ");
        long[] r = {Long.parseLong(range[0]), Long.parseLong(range[1])};
        if (committed != null && time <= committed.milliseconds()) {
          done = Math.max(done, r[1]);
        } else {
          replay.put(time, r);
          replayItems.put(time, new ArrayList<>());
        }
      }
      List<Object> pending = new ArrayList<>();
      nextSeq = done;
      for (Path file : list(dir)) {
        String name = file.getFileName().toString();
        if (!name.startsWith("log-")) {
          continue;
        }
        long seq = Long.parseLong(name.substring(4));
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        for (int end = 0; end < bytes.length; end++) {
          if (bytes[end] != '\n') {
            continue;
          }
          Object item = RddCodec.fromJsonLine(new String(bytes, start, end - start, StandardCharsets.UTF_8));
          if (seq >= done) {
            List<Object> into = pending;
            for (Map.Entry<Long, long[]> b : replay.entrySet()) {
              if (seq >= b.getValue()[0] && seq < b.getValue()[1]) {
                into = replayItems.get(b.getKey());
              }
            }
            into.add(item);
          }
          seq++;
          start = end + 1;
        }
        if (start < bytes.length) {
          // A last line cut short by a crash before store returned: never acknowledged, so dropped, and cut off
          // so that what is appended next starts on a line of its own.
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(start);
            ch.force(true);
          }
        }
        nextSeq = Math.max(nextSeq, seq);
      }
      return pending;
    } catch (IOException | RuntimeException e) {
      throw FreshetException.user("The write-ahead log " + dir + " of " + what + " cannot be read (" + e.getMessage()
          + "). Restore the checkpoint from a backup, or start with a new checkpoint directory", e);
    }
  }

  /** The sequence number the next stored item gets. */
  long nextSeq() {
    return nextSeq;
  }

  /** Appends {@code items} and forces them to disk; only then may the receiver's store return. */
  void append(List<?> items) {
    StringBuilder text = new StringBuilder();
    for (Object item : items) {
      text.append(RddCodec.toJsonLine(item, what)).append('\n');
    }
    try {
      if (segment == null || segmentItems >= SEGMENT_ITEMS) {
        if (segment != null) {
          segment.close();
        }
        segment = FileChannel.open(dir.resolve("log-" + nextSeq), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segmentItems = 0;
      }
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        segment.write(bytes);
      }
      segment.force(false);
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write the write-ahead log " + dir + " of "
          + what + ": " + e.getMessage() + "; check free disk space", e);
    }
    segmentItems += items.size();
    nextSeq += items.size();
  }

  /** The items of batch {@code time} when it runs again after a restart; null for a new batch. */
  List<Object> replayed(Time time) {
    replay.remove(time.milliseconds());
    return replayItems.remove(time.milliseconds());
  }

  /**
   * Records that batch {@code time} takes the items {@code [from, to)}, before it runs; then deletes what no
   * restart can need: the blocks before the previous one (committed), and the segments wholly before {@code from}.
   */
  void block(Time time, long from, long to) {
    Path blocks = dir.resolve("blocks");
    Checkpoint.writeAtomically(blocks.resolve(Long.toString(time.milliseconds())),
        (from + " " + to).getBytes(StandardCharsets.UTF_8));
    try {
      List<Path> all = list(blocks);
      for (int i = 0; i < all.size() - 2; i++) {
        Files.deleteIfExists(all.get(i));
      }
      List<Path> segments = list(dir).stream().filter(p -> p.getFileName().toString().startsWith("log-")).toList();
      for (int i = 0; i + 1 < segments.size(); i++) {
        long nextFirst = Long.parseLong(segments.get(i + 1).getFileName().toString().substring(4));
        if (nextFirst <= from) {
          Files.deleteIfExists(segments.get(i));
        }
      }
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(ReceivedDataLog.class).warn("Cannot purge {}: {}", dir, e.toString());
    }
  }

  void close() {
    try {
      if (segment != null) {
        segment.close();
      }
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(ReceivedDataLog.class).warn("Closing {}: {}", dir, e.toString());
    }
  }

  /** The files of a directory, in the order of the number in their names. */
  private static List<Path> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(java.util.Comparator.comparingLong(p -> Long.parseLong(
              p.getFileName().toString().replaceFirst("^log-", "")))).toList();
    }
  }
}
