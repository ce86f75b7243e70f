package io.freshet.exec.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines, and lines longer than the limit: cut after limit + 1 bytes and marked, the rest skipped. */
class LineReaderTest {

  /** Each line as text, with a * in front when it was too long. */
  private static List<String> lines(String text, long limit, int chunk) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // Hands out at most chunk bytes per read, as a socket does.
    InputStream in = new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
    LineReader reader = new LineReader(in, limit);
    List<String> out = new ArrayList<>();
    while (reader.next()) {
      out.add((reader.tooLong() ? "*" : "") + new String(reader.buffer(), reader.lineStart(), reader.lineLength(),
          StandardCharsets.UTF_8) + "@" + reader.lineNumber());
    }
    return out;
  }

  @Test
  void shortLinesAsTheyAre() throws IOException {
    assertEquals(List.of("a@1", "bc@2", "@3", "d@4"), lines("a\nbc\r\n\nd", 10, 1));
    assertEquals(List.of("0123456789@1"), lines("0123456789\n", 10, 3));
  }

  @Test
  void eachLineSaysWhereItStartsAlsoAfterTheBufferMovedOnAndAfterASkippedLongLine() throws IOException {
    StringBuilder text = new StringBuilder();
    List<Long> starts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      starts.add((long) text.length());
      // Lines of up to 2 KB (one of them longer than the limit), some with CRLF: 300 KB in all, several buffers.
      text.append("x".repeat(i == 150 ? 5000 : i * 7 % 2000)).append(i % 2 == 0 ? "\n" : "\r\n");
    }
    LineReader reader = new LineReader(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
        4096);
    List<Long> seen = new ArrayList<>();
    while (reader.next()) {
      seen.add(reader.lineOffset());
    }
    assertEquals(starts, seen);
  }

  @Test
  void aLongLineIsCutAndTheRestSkippedWhateverTheReadSizes() throws IOException {
    String text = "ok\n" + "y".repeat(200_000) + "\nnext\n" + "z".repeat(50) + "\n" + "w".repeat(30);
    for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
      assertEquals(List.of("ok@1", "*yyyyyyyyyyy@2", "next@3", "*zzzzzzzzzzz@4", "*wwwwwwwwwww@5"),
          lines(text, 10, chunk), "reads of " + chunk);
    }
  }
}
