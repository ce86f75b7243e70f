package io.freshet.exec.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ended by {@code \n} (a {@code \r} before it is dropped; a last line without a
 * terminator counts), handing out each line as a range of an internal buffer valid until the next call. A line
 * longer than the limit is not held whole: its first {@code limit + 1} bytes are handed out with
 * {@link #tooLong()} set, and the rest of it is skipped, so a stream without line breaks never takes more memory
 * than the limit.
 */
public final class LineReader {
  /** The limit when none is given: any line that fits in memory. */
  public static final long NO_LIMIT = Integer.MAX_VALUE - 64;

  private final InputStream in;
  private final int limit;
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  private boolean eof;
  private int lineStart;
  private int lineLength;
  private long lineNumber;
  /** How many bytes of the stream were dropped from the front of the buffer. */
  private long dropped;
  private boolean tooLong;
  /** The rest of a line that was too long is still to be skipped. */
  private boolean skipping;

  public LineReader(InputStream in) {
    this(in, NO_LIMIT);
  }

  /** Lines of at most {@code limit} bytes (without the terminator); longer ones are cut and marked. */
  public LineReader(InputStream in, long limit) {
    this.in = in;
    this.limit = (int) Math.min(limit, NO_LIMIT);
  }

  /** Moves to the next line; false at the end of the stream. */
  public boolean next() throws IOException {
    if (skipping && !skipRestOfLine()) {
      return false;
    }
    int scan = start;
    while (true) {
      for (int i = scan; i < end; i++) {
        if (buffer[i] == '\n') {
          set(start, i);
          start = i + 1;
          return true;
        }
      }
      scan = end;
      if (end - start > limit) {
        // No line break within the limit: hand out what is kept and skip the rest of the line.
        set(start, start + limit + 1);
        tooLong = true;
        lineLength = limit + 1;
        start = start + limit + 1;
        skipping = true;
        return true;
      }
      if (eof) {
        if (start < end) {
          set(start, end);
          start = end;
          return true;
        }
        return false;
      }
      scan -= compact();
      if (!fill()) {
        eof = true;
      }
    }
  }

  /** Skips bytes up to and including the next line break; false when the stream ends first. */
  private boolean skipRestOfLine() throws IOException {
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          start = i + 1;
          skipping = false;
          return true;
        }
      }
      start = end;
      if (eof) {
        skipping = false;
        return false;
      }
      compact();
      if (!fill()) {
        eof = true;
      }
    }
  }

  /** Moves the unread bytes to the front of the buffer; returns by how much they moved. */
  private int compact() {
    int moved = start;
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      start = 0;
      dropped += moved;
    }
    return moved;
  }

  /** Reads more bytes, growing the buffer when it is full; false at the end of the stream. */
  private boolean fill() throws IOException {
    if (end == buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, (long) limit + 2));
    }
    int n = in.read(buffer, end, buffer.length - end);
    if (n < 0) {
      return false;
    }
    end += n;
    return true;
  }

  private void set(int from, int to) {
    int len = to - from;
    if (len > 0 && buffer[to - 1] == '\r') {
      len--;
    }
    tooLong = len > limit;
    lineStart = from;
    lineLength = tooLong ? limit + 1 : len;
    lineNumber++;
  }

  public byte[] buffer() {
    return buffer;
  }

  public int lineStart() {
    return lineStart;
  }

  public int lineLength() {
    return lineLength;
  }

  /** Whether the current line was longer than the limit (then only its first {@code limit + 1} bytes are here). */
  public boolean tooLong() {
    return tooLong;
  }

  /** Where the current line starts: the number of bytes of the stream before it. */
  public long lineOffset() {
    return dropped + lineStart;
  }

  /** The 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }
}
