package io.freshet.spark.streaming.dstream;

import io.freshet.spark.streaming.Time;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.connector.LogRecords;
import io.freshet.exec.format.ByteSink;
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
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A receiver's write-ahead log ({@code spark.streaming.receiver.writeAheadLog.enable}), under
 * {@code receivedData/<receiver>/} in the checkpoint. What a receiver stores is appended to a segment
 * ({@code log-<first sequence number>}, a line of tagged JSON per item, each with its own CRC32C:
 * {@link LogRecords}) and forced to disk before {@code store} returns. Each batch's block, the sequence numbers
 * {@code [from, to)} it took and its time, is written to {@code blocks/<batch time>} before the batch runs, also
 * when it took nothing. On a restart, items up to the end of the last committed batch's block are done (that
 * block must be there and intact); a block after it (its batch did not commit) is read back to run again with the
 * same items; items in no block go to the next batches. A last line cut short by a crash was never acknowledged
 * and, if no block took it, is dropped; a line whose checksum fails, even the last one (a crash only cuts a line
 * short), and other damage refuse the log, and a refused start leaves it as it was ({@link #recover}). Segments
 * and blocks no restart can need are deleted as batches commit. That the log was enabled is recorded outside its
 * directory, in the DStream graph file ({@link DStreamCheckpoint#receiverLogs}), before a receiver stores anything:
 * a log found missing then is refused, where a checkpoint without that record is the log's first run.
 */
final class ReceivedDataLog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReceivedDataLog.class);
  private static final int SEGMENT_ITEMS = 100_000;

  private final Path dir;
  private final String what;
  private final StateClasses classes;
  private long nextSeq;
  private FileChannel segment;
  private int segmentItems;
  /** Blocks of batches that did not commit: time → [from, to), and their items. */
  private final Map<Long, long[]> replay = new TreeMap<>();
  private final Map<Long, List<Object>> replayItems = new TreeMap<>();
  /** A cut-short last record that {@link #recover} drops: its file and where it starts, to be cut off there. */
  private Path cut;
  private long cutAt;
  /** What {@link #recover} found: the last committed batch, and whether this is the log's first run. */
  private Time committed;
  private boolean firstRun;

  ReceivedDataLog(Path checkpoint, int receiverId, String what, StateClasses classes) {
    this.dir = checkpoint.resolve("receivedData").resolve(Integer.toString(receiverId));
    this.what = what;
    this.classes = classes;
  }

  /**
   * Reads the log back after a restart whose last committed batch is {@code committed} (null when none): returns
   * the items stored but in no block, in order; blocks of uncommitted batches wait in {@link #replayed}. The block
   * of the last committed batch must be there and intact ({@link #committedEnd}), and the segments must hold every
   * item the blocks took. Every record is checked; only the newest segment's last record may be cut short, by a
   * crash before {@code store} returned, and then only if no block took it: it is dropped. Any other damage, or a
   * block whose items are not all there, refuses the log. (A crash, or power lost with a file's end zero-filled,
   * leaves a record without its line break; a whole record whose checksum fails was damaged at rest, even the last
   * one.) {@code enabledBefore} says that the checkpoint records the log as enabled by an earlier start (in
   * {@code record}): its directory must then be there, and an empty log is never taken for the log's first run on
   * a checkpoint whose batches ran without it. Nothing is changed here: {@link #settle} does that once the start
   * has gone through everything that may refuse it, so a refused start leaves the log as it was.
   */
  List<Object> recover(Time committed, boolean enabledBefore, Path record) {
    Path blocksDir = dir.resolve("blocks");
    try {
      if (enabledBefore && !Files.isDirectory(dir)) {
        throw FreshetException.user("The write-ahead log " + dir + " of " + what + " is missing, and the "
            + "checkpoint records that the log was enabled (" + record + "): it held what the receiver stored and "
            + "no committed batch used" + (committed == null ? "" : ", and which items the last committed batch ("
            + committed.milliseconds() + " ms) took") + ". Put the directory back from a backup of the checkpoint, "
            + "or start with a new checkpoint directory (what the receiver stored and no committed batch used is "
            + "then lost)");
      }
      List<Path> segments = Files.isDirectory(dir) ? segments() : List.of();
      List<Path> blocks = Files.isDirectory(blocksDir) ? list(blocksDir) : List.of();
      // The log's first run on a checkpoint whose batches ran without it: none of them took any of its items. Only
      // a checkpoint that does not record the log as enabled can be that (one written before the record was kept
      // is taken as one when its log is empty, as it was before).
      firstRun = !enabledBefore && committed != null && segments.isEmpty() && blocks.isEmpty();
      this.committed = committed;
      long done = committed == null || firstRun ? 0 : committedEnd(committed);
      long used = done;
      for (Path block : blocks) {
        long time = Long.parseLong(block.getFileName().toString());
        if (committed == null || time > committed.milliseconds()) {
          long[] r = readBlock(block, time, why -> "The write-ahead log of " + what + " cannot be recovered: the "
              + "block " + block + " of the batch of " + time + " ms, which did not commit and runs again with the "
              + "items it took, is " + why + ". " + ADVICE);
          used = Math.max(used, r[1]);
          replay.put(time, r);
          replayItems.put(time, new ArrayList<>());
        }
      }
      List<Object> pending = new ArrayList<>();
      long expected = -1;
      for (int f = 0; f < segments.size(); f++) {
        Path file = segments.get(f);
        long seq = Long.parseLong(file.getFileName().toString().substring(4));
        if (expected >= 0 && seq != expected) {
          throw FreshetException.user("The write-ahead log " + dir + " of " + what + " is incomplete: the "
              + "segment before " + file + " ends at item " + expected + ", and " + file.getFileName() + " starts at "
              + seq + ". " + ADVICE);
        }
        seq = readSegment(file, seq, f == segments.size() - 1, done, used, pending);
        expected = seq;
      }
      // The newest segment is never deleted, and every item a block took was in a segment first: a log that ends
      // before the last committed batch's items lost its newest segments, and with them what was stored after.
      long end = Math.max(expected, 0);
      if (end < done) {
        throw FreshetException.user("The write-ahead log " + dir + " of " + what + (segments.isEmpty()
            ? " has no segment" : " ends at item " + end + " (" + segments.get(segments.size() - 1)
            .getFileName() + ")") + ", but the last committed batch (" + committed.milliseconds() + " ms) took "
            + "items up to " + done + ": " + (segments.isEmpty() ? "its segments are" : "its newest segment is")
            + " missing, and with them what the receiver stored after that batch. " + ADVICE);
      }
      nextSeq = Math.max(done, end);
      long items = pending.size() + replayItems.values().stream().mapToLong(List::size).sum();
      for (Map.Entry<Long, long[]> b : replay.entrySet()) {
        long[] r = b.getValue();
        if (replayItems.get(b.getKey()).size() != r[1] - r[0]) {
          throw FreshetException.user("The write-ahead log " + dir + " of " + what + " does not hold items " + r[0]
              + " to " + r[1] + " that the batch of " + b.getKey() + " ms took, which runs again. " + ADVICE);
        }
      }
      if (items != nextSeq - done) {
        throw FreshetException.user("The write-ahead log " + dir + " of " + what + " does not hold every item "
            + "from " + done + " (after the last committed batch) to " + nextSeq + ". " + ADVICE);
      }
      return pending;
    } catch (FreshetException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw FreshetException.user("The write-ahead log " + dir + " of " + what + " cannot be read (" + e.getMessage()
          + "). " + ADVICE, e);
    }
  }

  /**
   * After {@link #recover}, once nothing can refuse the start any more: cuts off a dropped record, and on the log's
   * first run writes the block of the last committed batch, which a later restart requires. The graph file records
   * the log as enabled only after this, so a crash in between leaves a log with that block and no record, which is
   * not taken for a first run again (it has a block), and is not refused for a missing block either.
   */
  void settle() {
    try {
      Files.createDirectories(dir.resolve("blocks"));
      if (cut != null) {
        try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
          ch.truncate(cutAt);
          ch.force(true);
        }
        cut = null;
      }
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write the write-ahead log " + dir + " of "
          + what + ": " + e.getMessage() + "; check free disk space and permissions", e);
    }
    if (firstRun) {
      writeBlock(committed, 0, 0);
      firstRun = false;
    }
  }

  private static final String ADVICE = "Restore the checkpoint from a backup, or start with a new checkpoint "
      + "directory (what the receiver stored and no committed batch used is then lost)";

  /**
   * Where the items the committed batches took end: at the end of the block of the last committed batch. Every
   * batch writes its block, also one that took no items, and the blocks before the last committed one are
   * deleted as batches commit, so it is the only record of that: missing or damaged, the items it took would look
   * stored but in no batch, and go to a batch a second time. That refuses the log.
   */
  private long committedEnd(Time committed) {
    long time = committed.milliseconds();
    Path block = dir.resolve("blocks").resolve(Long.toString(time));
    return readBlock(block, time, why -> "The write-ahead log of " + what + " cannot tell which of its items the "
        + "last committed batch (" + time + " ms) took: its block " + block + " is " + why + ". Every batch writes "
        + "its block, also one that took no items, and without it those items would go to a batch a second time. "
        + ADVICE)[1];
  }

  /**
   * The range {@code [from, to)} the block of batch {@code time} holds. A block that is missing, damaged, or a
   * copy of another batch's block is refused with the message {@code refusal} makes of what is wrong with it.
   */
  private long[] readBlock(Path block, long time, Function<String, String> refusal) {
    String[] fields;
    try {
      fields = CheckpointFiles.readString(block).trim().split(" ");
    } catch (CheckpointFiles.Damaged e) {
      throw FreshetException.user(refusal.apply(e.why()), e);
    }
    // Blocks written before they held their batch's time have two fields.
    if (fields.length == 3 && Long.parseLong(fields[2]) != time) {
      throw FreshetException.user(refusal.apply("a copy of the block of the batch of " + fields[2] + " ms"));
    }
    return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
  }

  /**
   * Reads the segment {@code file}, whose first item is {@code seq}: items from {@code done} on go to
   * {@code pending} or to the block to run again that took them. Returns the sequence number after its last item.
   */
  private long readSegment(Path file, long seq, boolean newest, long done, long used, List<Object> pending)
      throws IOException {
    try (LogRecords.Reader records = LogRecords.read(file)) {
      while (records.next()) {
        if (!records.intact()) {
          String where = records.where();
          String problem = records.problem();
          long at = records.position();
          String why = records.whyNotACrash(newest);
          if (why != null || seq < used) {
            throw FreshetException.user("The write-ahead log of " + what + " is damaged: " + where + " is "
                + problem + (why != null ? why : ", and a batch took it (it is item " + seq + ", and the batches "
                + "took items up to " + used + ")") + ". " + ADVICE);
          }
          // A crash while store appended it: never acknowledged, so dropped, and cut off (once the whole log is
          // accounted for) so that what is appended next starts on a line of its own.
          LOG.warn("Dropping the last record of the write-ahead log of {}: {} is {}; taken for a crash while it "
              + "was appended, before store returned, as no batch took it", what, where, problem);
          cut = file;
          cutAt = at;
          break;
        }
        if (seq >= done) {
          byte[] json = java.util.Arrays.copyOfRange(records.buffer(), records.payloadStart(),
              records.payloadStart() + records.payloadLength());
          Object item = TaggedJson.read(json, classes, file + " (record " + (records.index() + 1) + ", at byte "
              + records.position() + ")");
          List<Object> into = pending;
          for (Map.Entry<Long, long[]> b : replay.entrySet()) {
            if (seq >= b.getValue()[0] && seq < b.getValue()[1]) {
              into = replayItems.get(b.getKey());
            }
          }
          into.add(item);
        }
        seq++;
      }
    }
    return seq;
  }

  /** The sequence number the next stored item gets. */
  long nextSeq() {
    return nextSeq;
  }

  /** Appends {@code items} and forces them to disk; only then may the receiver's store return. */
  void append(List<?> items) {
    ByteSink text = new ByteSink();
    for (Object item : items) {
      byte[] json = TaggedJson.write(item, what).getBytes(StandardCharsets.UTF_8);
      LogRecords.append(text, json, 0, json.length);
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
      ByteBuffer bytes = ByteBuffer.wrap(text.array(), 0, text.length());
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
    writeBlock(time, from, to);
    try {
      List<Path> all = list(dir.resolve("blocks"));
      for (int i = 0; i < all.size() - 2; i++) {
        Files.deleteIfExists(all.get(i));
      }
      List<Path> segments = segments();
      for (int i = 0; i + 1 < segments.size(); i++) {
        long nextFirst = Long.parseLong(segments.get(i + 1).getFileName().toString().substring(4));
        if (nextFirst <= from) {
          Files.deleteIfExists(segments.get(i));
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot purge {}: {}", dir, e.toString());
    }
  }

  /** Writes the block of batch {@code time}: its range, and its time, so that a copy of another one is seen. */
  private void writeBlock(Time time, long from, long to) {
    Checkpoint.writeAtomically(dir.resolve("blocks").resolve(Long.toString(time.milliseconds())),
        (from + " " + to + " " + time.milliseconds()).getBytes(StandardCharsets.UTF_8));
  }

  void close() {
    try {
      if (segment != null) {
        segment.close();
      }
    } catch (IOException e) {
      LOG.warn("Closing {}: {}", dir, e.toString());
    }
  }

  /** The log's segments, in order. */
  private List<Path> segments() throws IOException {
    return list(dir).stream().filter(p -> p.getFileName().toString().startsWith("log-")).toList();
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
