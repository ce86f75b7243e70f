package io.freshet.exec.connector;

import io.freshet.exec.format.ByteSink;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The records of an append-only log in a checkpoint (a receiver's or the socket source's write-ahead log), which
 * cannot be written whole with a trailing checksum as {@link CheckpointFiles} does: each record is a line of its
 * own, {@code <CRC32C of the payload, 8 hex digits> <payload>\n}, so that a reader checks every record. A record
 * without its line break can only be the last one of a log that a crash cut short ({@link Status#TORN}); a record
 * whose checksum does not match is {@link Status#DAMAGED} wherever it is. What a damaged or cut record means
 * (dropped, or the log refused) is for the log's owner to decide: only it knows which records were used.
 */
public final class LogRecords {
  /** The bytes before the payload: the checksum and a space. */
  public static final int PREFIX = 9;

  private LogRecords() {
  }

  /** Whether a record is what was written, or how it is not. */
  public enum Status { INTACT, DAMAGED, TORN }

  /** Appends the record of {@code len} bytes of {@code b} (which holds no line break) to {@code out}. */
  public static void append(ByteSink out, byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    String hex = String.format("%08x ", crc.getValue());
    for (int i = 0; i < PREFIX; i++) {
      out.put((byte) hex.charAt(i));
    }
    out.put(b, off, len);
    out.put((byte) '\n');
  }

  /** Reads the records of a log file one at a time, each as a range of an internal buffer. */
  public static Reader read(Path file) throws IOException {
    return new Reader(file, Files.newInputStream(file));
  }

  /** The records of one file, in order; a record's range is valid until the next call to {@link #next}. */
  public static final class Reader implements Closeable {
    private final Path file;
    private final InputStream in;
    private byte[] buffer = new byte[1 << 16];
    /** The file position of {@code buffer[0]}. */
    private long base;
    private int start;
    private int end;
    private boolean eof;
    private int recordStart;
    private int recordEnd;
    private long index = -1;
    private Status status;

    private Reader(Path file, InputStream in) {
      this.file = file;
      this.in = in;
    }

    /** Moves to the next record; false at the end of the file. */
    public boolean next() throws IOException {
      int scan = start;
      while (true) {
        for (int i = scan; i < end; i++) {
          if (buffer[i] == '\n') {
            take(i, i + 1);
            return true;
          }
        }
        if (eof) {
          if (start == end) {
            return false;
          }
          take(end, end);
          status = Status.TORN;
          return true;
        }
        compact();
        scan = end;
        if (!fill()) {
          eof = true;
        }
      }
    }

    private void take(int lineEnd, int next) {
      recordStart = start;
      recordEnd = lineEnd;
      start = next;
      index++;
      status = check() ? Status.INTACT : Status.DAMAGED;
    }

    private boolean check() {
      int length = recordEnd - recordStart;
      if (length < PREFIX || buffer[recordStart + PREFIX - 1] != ' ') {
        return false;
      }
      long expected = 0;
      for (int i = recordStart; i < recordStart + PREFIX - 1; i++) {
        int digit = Character.digit(buffer[i], 16);
        if (digit < 0) {
          return false;
        }
        expected = expected << 4 | digit;
      }
      CRC32C crc = new CRC32C();
      crc.update(buffer, recordStart + PREFIX, length - PREFIX);
      return crc.getValue() == expected;
    }

    /** Moves the unread bytes to the front of the buffer. */
    private void compact() {
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        base += start;
        start = 0;
      }
    }

    private boolean fill() throws IOException {
      if (end == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        return false;
      }
      end += n;
      return true;
    }

    public Status status() {
      return status;
    }

    public boolean intact() {
      return status == Status.INTACT;
    }

    public byte[] buffer() {
      return buffer;
    }

    /** Where the current record's payload starts in {@link #buffer} (only meaningful when it is intact). */
    public int payloadStart() {
      return recordStart + PREFIX;
    }

    public int payloadLength() {
      return recordEnd - recordStart - PREFIX;
    }

    /** The 0-based number of the current record in the file. */
    public long index() {
      return index;
    }

    /** The file position where the current record starts. */
    public long position() {
      return base + recordStart;
    }

    /** The file position after the current record (and its line break). */
    public long endPosition() {
      return base + start;
    }

    /** The current record for messages: {@code record 3 (at byte 120) of <file>}. */
    public String where() {
      return "record " + (index + 1) + " (at byte " + position() + ") of " + file;
    }

    /**
     * For a record that is not intact: null when a crash may have left it so (cut short, as the last record of
     * the log's newest file, {@code newest}), which its owner may drop if no batch used it; otherwise why not, to
     * follow {@link #problem} in a message. Moves past the record (take {@link #where} and {@link #problem} first).
     */
    public String whyNotACrash(boolean newest) throws IOException {
      if (status == Status.DAMAGED) {
        return ", which a crash cannot do (it cuts a record short)";
      }
      if (!newest || next()) {
        return ", and it is not the log's last record";
      }
      return null;
    }

    /** What is wrong with the current record, for messages. */
    public String problem() {
      return switch (status) {
        case INTACT -> "intact";
        case TORN -> "cut short (it does not end with a line break)";
        case DAMAGED -> "damaged (its CRC32C does not match its checksum, or it has none)";
      };
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
