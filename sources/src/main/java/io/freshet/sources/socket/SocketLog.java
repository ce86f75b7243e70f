package io.freshet.sources.socket;

import io.freshet.exec.connector.LogRecords;
import io.freshet.exec.format.ByteSink;
import io.freshet.streaming.FreshetException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket source's write-ahead log: segment files ({@code wal/<first line number>.log}, one record per line,
 * each with its own CRC32C: {@link LogRecords}). Lines appended wait in memory until {@link #flush} writes them to
 * the newest segment, and {@link #force} makes them durable. After a crash the log is read back and checked (a last
 * record cut short is dropped: it was never acknowledged, unless a batch of the checkpoint read it, which is
 * refused, as is a record whose checksum fails and a log holding fewer lines than the checkpoint's batches read).
 * Segments wholly before a committed offset are deleted.
 *
 * <p>Not thread-safe: every method but the reading of {@link Lines} is called with the {@link SocketSource}'s lock
 * held.
 */
final class SocketLog {
  private static final Logger LOG = LoggerFactory.getLogger(SocketSource.class);
  private static final long SEGMENT_BYTES = 64L << 20;
  private static final String ADVICE = "Restore the checkpoint from a backup, or use a new checkpoint location (the "
      + "lines in the log that no committed batch read are then lost)";

  private final Path wal;
  /** Segment first-line number to file. */
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private FileChannel current;
  private long currentBytes;
  private final ByteSink pending = new ByteSink();
  private long pendingLines;
  private long written;
  private long durable;
  /**
   * Whether the log may be written: from when the query has checked its checkpoint ({@code Source#resumed}), every
   * batch of it against the log. Until then lines received wait in memory (at most {@code SocketSource.HOLD_BYTES},
   * then in the connection), so that a start refused for the log leaves it as it was, and lines received during a
   * restart cannot be counted as lines a batch read.
   */
  private boolean writable;
  /**
   * The line whose damaged record was dropped at start, until the query has checked its checkpoint (then every
   * batch the checkpoint held has been checked); -1 for none.
   */
  private long droppedLine = -1;
  private String dropped;

  SocketLog(Path wal) {
    this.wal = wal;
    recover();
  }

  /** The log's directory. */
  Path path() {
    return wal;
  }

  /**
   * Reads the log back after a restart: its segments and how many lines they hold, every record checked. Only the
   * newest segment's last record may be cut short, by a crash while it was appended, before any batch could read
   * it: it is dropped (cut off the file once the query has checked its checkpoint), and the batches the checkpoint
   * already holds must not have read it ({@link #checkNotDropped}). Any other damage refuses the log. (A crash, or
   * power lost with a file's end zero-filled, leaves a record without its line break; a whole record whose
   * checksum fails was damaged at rest.)
   */
  private void recover() {
    try {
      Files.createDirectories(wal);
      try (Stream<Path> files = Files.list(wal)) {
        files.filter(p -> p.getFileName().toString().endsWith(".log")).forEach(p -> {
          String name = p.getFileName().toString();
          segments.put(Long.parseLong(name.substring(0, name.length() - 4)), p);
        });
      }
      if (segments.isEmpty()) {
        return;
      }
      long lines = -1;
      long end = 0;
      for (Map.Entry<Long, Path> segment : segments.entrySet()) {
        if (lines >= 0 && lines != segment.getKey()) {
          throw FreshetException.user("The socket source's write-ahead log " + wal + " is incomplete: the segment "
              + "before " + segment.getValue() + " ends at line " + lines + ", and " + segment.getValue()
              .getFileName() + " starts at line " + segment.getKey() + ". " + ADVICE);
        }
        boolean newest = segment.getKey().equals(segments.lastKey());
        lines = segment.getKey();
        end = 0;
        try (LogRecords.Reader records = LogRecords.read(segment.getValue())) {
          while (records.next()) {
            if (records.intact()) {
              lines++;
              end = records.endPosition();
              continue;
            }
            String where = records.where();
            String problem = records.problem();
            String why = records.whyNotACrash(newest);
            if (why != null) {
              throw FreshetException.user("The socket source's write-ahead log is damaged: " + where + " (line "
                  + lines + " received) is " + problem + why + ". " + ADVICE);
            }
            LOG.warn("Dropping the last record of the socket source's write-ahead log: {} (line {} received) is {}; "
                + "taken for a crash while it was appended, before any batch could read it", where, lines, problem);
            dropped = where + " (line " + lines + " received) was " + problem;
            droppedLine = lines;
          }
        }
      }
      current = FileChannel.open(segments.lastEntry().getValue(), StandardOpenOption.WRITE);
      // A dropped record is cut off only once the checkpoint's batches are known not to have read it (at the first
      // offset this run hands out): a start refused for it must leave the log as it found it.
      current.position(end);
      currentBytes = end;
      written = lines;
      durable = written;
    } catch (IOException | NumberFormatException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read the socket source's write-ahead log "
          + wal + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a batch of the checkpoint that read up to line {@code lines} when the line dropped at start is among
   * them: asked (before this run hands out an offset of its own) for the batch that runs again and for the last
   * batch of the checkpoint.
   */
  void checkNotDropped(long lines) {
    if (droppedLine >= 0 && lines > droppedLine) {
      throw FreshetException.user("The socket source's write-ahead log " + wal + " is damaged: " + dropped + ", so "
          + "it was dropped at start as a record a crash cut short, but a batch of the checkpoint read lines up to "
          + lines + ". " + ADVICE);
    }
  }

  /**
   * Refuses a checkpoint whose batches read up to line {@code read} when the log holds fewer lines: a segment
   * deleted or cut short (lines numbered again from the log's end would be taken for lines already read and
   * skipped).
   */
  void check(long read) {
    checkNotDropped(read);
    if (read > written) {
      throw FreshetException.user("The socket source's write-ahead log " + wal + " holds " + written + " lines, but a "
          + "batch of the checkpoint read lines up to " + read + ": " + (segments.isEmpty() ? "its segments are "
          + "missing" : "a segment is missing or was cut short (newest: " + segments.lastEntry().getValue() + ")")
          + ". " + ADVICE);
    }
  }

  /** Whether the log may be written yet. */
  boolean writable() {
    return writable;
  }

  /**
   * Cuts off the record dropped at start, if any, and lets the log be written: called once the query has checked
   * its checkpoint, every batch of it against the log.
   */
  void makeWritable() {
    if (droppedLine >= 0) {
      try {
        current.truncate(currentBytes);
      } catch (IOException e) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot cut the damaged last record off the "
            + "socket source's log " + wal + ": " + e.getMessage(), e);
      }
      droppedLine = -1;
    }
    writable = true;
  }

  /** The bytes of the lines appended but not yet written to a segment. */
  long pendingLines() {
    return pendingLines;
  }

  int pendingBytes() {
    return pending.length();
  }

  /** Appends a line, written to the log once enough is pending (and the log may be written). */
  void append(byte[] b, int off, int len) {
    LogRecords.append(pending, b, off, len);
    pendingLines++;
    if (pending.length() >= 1 << 16) {
      flush();
    }
  }

  /** Writes pending lines to the current segment, once the log may be written. */
  void flush() {
    if (pendingLines == 0 || !writable) {
      return;
    }
    try {
      if (current == null || currentBytes >= SEGMENT_BYTES) {
        if (current != null) {
          current.force(true);
          current.close();
        }
        Path file = wal.resolve(written + ".log");
        current = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        segments.put(written, file);
        currentBytes = 0;
      }
      long before = currentBytes;
      try {
        ByteBuffer bytes = ByteBuffer.wrap(pending.array(), 0, pending.length());
        while (bytes.hasRemaining()) {
          currentBytes += current.write(bytes);
        }
      } catch (IOException e) {
        // Take back a partial write, so that the log holds exactly the lines counted; the lines stay pending.
        currentBytes = before;
        current.truncate(before);
        current.position(before);
        throw e;
      }
      written += pendingLines;
      pending.clear();
      pendingLines = 0;
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write the socket source's log " + wal
          + ": " + e.getMessage() + "; check free disk space", e);
    }
  }

  /** Writes the pending lines and forces the log to disk; returns how many lines it durably holds. */
  long force() {
    flush();
    if (written > durable) {
      try {
        current.force(false);
      } catch (IOException e) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot force the socket source's log " + wal
            + " to disk: " + e.getMessage(), e);
      }
      durable = written;
    }
    return durable;
  }

  /**
   * The lines {@code from} (inclusive) to {@code to} (exclusive), read from the segments that hold them; refused
   * when the log does not durably hold them.
   */
  Lines read(long from, long to) {
    Long first = segments.floorKey(from);
    if (first == null || to > durable) {
      throw FreshetException.user("The socket source's log " + wal + " does not hold lines " + from + " to " + to
          + " that the offset log names; the checkpoint is incomplete. Use a new checkpoint location");
    }
    return new Lines(new ArrayList<>(segments.subMap(first, true, to, false).entrySet()), from, to);
  }

  /** Deletes the segments wholly before line {@code to}, committed. */
  void commit(long to) {
    // A segment can go once the next one starts at or before the committed line count.
    while (segments.size() > 1) {
      Map.Entry<Long, Path> first = segments.firstEntry();
      Long next = segments.higherKey(first.getKey());
      if (next > to) {
        break;
      }
      try {
        Files.deleteIfExists(first.getValue());
      } catch (IOException e) {
        LOG.warn("Cannot delete the read socket log segment {}: {}", first.getValue(), e.toString());
        break;
      }
      segments.remove(first.getKey());
    }
  }

  /** Writes the pending lines, forces the log to disk and closes it. */
  void close() throws IOException {
    flush();
    if (current != null) {
      current.force(true);
      current.close();
      current = null;
    }
  }

  /**
   * Lines of the log read back for a batch, each record checked; used by the batch's thread alone (the segments to
   * read were listed under the source's lock).
   */
  static final class Lines implements Closeable {
    private final List<Map.Entry<Long, Path>> files;
    private final long from;
    private final long to;
    private int segment;
    private LogRecords.Reader reader;
    private long line;

    private Lines(List<Map.Entry<Long, Path>> files, long from, long to) {
      this.files = files;
      this.from = from;
      this.to = to;
    }

    /** Moves to the next line to read; false when there is none. */
    boolean next() throws IOException {
      while (true) {
        if (reader == null) {
          if (segment == files.size() || line >= to) {
            return false;
          }
          Map.Entry<Long, Path> e = files.get(segment++);
          reader = LogRecords.read(e.getValue());
          line = e.getKey();
        }
        if (line >= to || !reader.next()) {
          close();
          continue;
        }
        if (!reader.intact()) {
          throw FreshetException.user("The socket source's write-ahead log is damaged: " + reader.where()
              + " (line " + line + " received) is " + reader.problem() + ", and a batch reads it. " + ADVICE);
        }
        if (line++ < from) {
          continue;
        }
        return true;
      }
    }

    /** The number of lines received up to and including the current one. */
    long line() {
      return line;
    }

    byte[] buffer() {
      return reader.buffer();
    }

    int payloadStart() {
      return reader.payloadStart();
    }

    int payloadLength() {
      return reader.payloadLength();
    }

    @Override
    public void close() throws IOException {
      if (reader != null) {
        reader.close();
      }
      reader = null;
    }
  }
}
