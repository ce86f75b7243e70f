package io.freshet.exec.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ended by {@code \n} (a {@code \r} before it is dropped; a last line without a
 * terminator counts), handing out each line as a range of an internal buffer valid until the next call.
 */
public final class LineReader {
  private final InputStream in;
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  private boolean eof;
  private int lineStart;
  private int lineLength;
  private long lineNumber;

  public LineReader(InputStream in) {
    this.in = in;
  }

  /** Moves to the next line; false at the end of the stream. */
  public boolean next() throws IOException {
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
      if (eof) {
        if (start < end) {
          set(start, end);
          start = end;
          return true;
        }
        return false;
      }
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        scan -= start;
        end -= start;
        start = 0;
      }
      if (end == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        eof = true;
      } else {
        end += n;
      }
    }
  }

  private void set(int from, int to) {
    int len = to - from;
    if (len > 0 && buffer[to - 1] == '\r') {
      len--;
    }
    lineStart = from;
    lineLength = len;
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

  /** The 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }
}
