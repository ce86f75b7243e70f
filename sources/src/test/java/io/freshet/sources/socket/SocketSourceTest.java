package io.freshet.sources.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.format.FormatOptions;
import io.freshet.streaming.Row;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket source's write-ahead log: what it acknowledged survives a crash; a line cut short does not. */
class SocketSourceTest {
  @TempDir
  Path wal;
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  private SocketSource source(int port) {
    return source(port, SocketSource.DEFAULT_MAX_LINE_LENGTH, FormatOptions.defaults(FormatOptions.Format.TEXT));
  }

  private SocketSource source(int port, long maxLineLength, FormatOptions format) {
    return new SocketSource(new SocketSourceProvider.Settings("127.0.0.1", port, 200, maxLineLength, format,
        FormatOptions.TEXT_SCHEMA), wal, allocator);
  }

  private static FormatOptions mode(FormatOptions.Mode mode) {
    FormatOptions f = FormatOptions.defaults(FormatOptions.Format.TEXT);
    return new FormatOptions(f.format(), f.delimiter(), f.quote(), f.header(), f.timestampFormat(), f.nullValue(),
        mode, f.corruptColumn());
  }

  /** Waits for a condition the source reaches on its receiver thread, failing after 30 s. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private static long lines(Offset o) {
    return o == null ? 0 : Long.parseLong(o.json().replaceAll("\\D", ""));
  }

  private List<Row> read(SocketSource source, Offset start, Offset end) {
    List<Row> rows = new ArrayList<>();
    Iterator<Batch> batches = source.read(start, end);
    while (batches.hasNext()) {
      try (Batch b = batches.next()) {
        rows.addAll(b.rows());
      }
    }
    return rows;
  }

  @Test
  void linesAcknowledgedIntoTheLogAreReadAfterARestartAndACutShortLineIsDropped() throws Exception {
    Offset acknowledged;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SocketSource first = started(source(server.getLocalPort()));
      try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
        out.write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Offset[] latest = new Offset[1];
        await("three lines in the log", () -> lines(latest[0] = first.latestOffset()) == 3);
        acknowledged = latest[0];
        assertEquals(List.of(Row.of("one"), Row.of("two")), read(first, null,
            new Offset("{\"lines\":2}")));
      }
      first.close();
    }
    // As if the process died while appending a fourth line.
    Path segment = Files.list(wal).filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    Files.writeString(segment, "fou", StandardOpenOption.APPEND);

    SocketSource second = source(freePort());
    try {
      assertEquals(acknowledged, second.latestOffset());
      assertEquals(List.of(Row.of("three")), read(second, new Offset("{\"lines\":2}"), acknowledged));
      await("a reconnection attempt", () -> second.status().contains("Connection refused); retrying in"));
      assertTrue(second.status().startsWith("SocketSource[127.0.0.1:"), second.status());
    } finally {
      second.close();
    }
  }

  @Test
  void aLineLongerThanMaxLineLengthIsMalformedAndOnlyItsStartIsKept() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SocketSource dropping = started(source(server.getLocalPort(), 10, mode(FormatOptions.Mode.DROPMALFORMED)));
      try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
        // 100 000 bytes without a line break, between two short lines.
        out.write(("short\n" + "x".repeat(100_000) + "\nafter\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        Offset[] latest = new Offset[1];
        await("three lines in the log", () -> lines(latest[0] = dropping.latestOffset()) == 3);
        assertEquals(List.of(Row.of("short"), Row.of("after")), read(dropping, null, latest[0]));
        assertEquals("1", dropping.metrics().get("numMalformedRows"));
        // The log holds the long line's first 11 bytes, not 100 000.
        long logBytes = Files.list(wal).filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length())
            .sum();
        // (Each record has a checksum of 9 bytes before it.)
        assertEquals(3 * 9 + "short\n".length() + 12 + "after\n".length(), logBytes);
      } finally {
        dropping.close();
      }
    }
    // The same log read in FAILFAST mode: the error names the line and the option to raise.
    SocketSource failing = source(freePort(), 10, mode(FormatOptions.Mode.FAILFAST));
    try {
      Offset end = failing.latestOffset();
      io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.freshet.streaming.FreshetException.class, () -> read(failing, null, end));
      assertTrue(e.getMessage().contains("line 2 received from 127.0.0.1:") && e.getMessage().contains(
          "a record longer than 10 bytes (raise 'maxLineLength'"), e.getMessage());
    } finally {
      failing.close();
    }
  }

  @Test
  void whenTheReceiverDiesTheNextBatchFailsWithWhy() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SocketSource source = started(source(server.getLocalPort()));
      try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
        // The log directory becomes a file: the receiver cannot write what it receives.
        Files.delete(wal);
        Files.writeString(wal, "not a directory");
        out.write("one\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        await("the receiver's death", () -> source.status().contains("the receiver failed"));
        io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
            io.freshet.streaming.FreshetException.class, source::latestOffset);
        assertTrue(e.getMessage().startsWith("The socket source 127.0.0.1:" + server.getLocalPort()
            + " stopped receiving:") && e.getMessage().contains("Cannot write the socket source's log"),
            e.getMessage());
      } finally {
        source.close();
      }
    }
  }

  /** Receives {@code text} into the log of a first run, which then stops; returns its offset of {@code lines}. */
  private Offset receive(String text, int lines) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SocketSource first = started(source(server.getLocalPort()));
      try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        Offset[] latest = new Offset[1];
        await(lines + " lines in the log", () -> lines(latest[0] = first.latestOffset()) == lines);
        return latest[0];
      } finally {
        first.close();
      }
    }
  }

  private Path segment() throws Exception {
    try (java.util.stream.Stream<Path> files = Files.list(wal)) {
      return files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
  }

  /** Flips one bit in the payload of record {@code n} (0-based) of the log's segment. */
  private void flipBitOfRecord(int n) throws Exception {
    byte[] bytes = Files.readAllBytes(segment());
    int at = 0;
    for (int i = 0; i < n; i++) {
      while (bytes[at] != '\n') {
        at++;
      }
      at++;
    }
    bytes[at + 9] ^= 0x01;
    Files.write(segment(), bytes);
  }

  @Test
  void aDamagedRecordInTheMiddleOfTheLogIsRefusedNamingTheFile() throws Exception {
    assertDamagedRecordRefused(1, 13);
  }

  @Test
  void aDamagedLastRecordIsRefusedForACrashOnlyCutsRecordsShort() throws Exception {
    assertDamagedRecordRefused(2, 26);
  }

  /** A bit flipped in record {@code n} (0-based, at byte {@code at}) of a log of three lines refuses the log. */
  private void assertDamagedRecordRefused(int n, int at) throws Exception {
    receive("one\ntwo\nthree\n", 3);
    flipBitOfRecord(n);
    io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.freshet.streaming.FreshetException.class, () -> source(freePort()));
    assertEquals(io.freshet.streaming.FreshetException.Kind.USER, e.kind());
    assertEquals("The socket source's write-ahead log is damaged: record " + (n + 1) + " (at byte " + at + ") of "
        + segment() + " (line " + n + " received) is damaged (its CRC32C does not match its checksum, or it has "
        + "none), which a crash cannot do (it cuts a record short). Restore the checkpoint from a backup, or use a "
        + "new checkpoint location (the lines in the log that no committed batch read are then lost)",
        e.getMessage());
  }

  @Test
  void aCutShortLastRecordIsDroppedUnlessABatchOfTheCheckpointReadIt() throws Exception {
    receive("one\ntwo\nthree\n", 3);
    long full = Files.size(segment());
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(segment(), StandardOpenOption.WRITE)) {
      ch.truncate(full - 2); // "thre", without its line break: a crash while it was appended
    }
    // The checkpoint's last batch read all three lines: the cut one was acknowledged. A second start after the
    // refusal is refused too: the refused start left the log as it was.
    for (int attempt = 0; attempt < 2; attempt++) {
      SocketSource read = source(freePort());
      try {
        io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
            io.freshet.streaming.FreshetException.class, () -> read.restore(new Offset("{\"lines\":3}")));
        assertTrue(e.getMessage().startsWith("The socket source's write-ahead log " + wal + " is damaged: record "
            + "3 (at byte 26) of " + segment() + " (line 2 received) was cut short") && e.getMessage().contains(
            "but a batch of the checkpoint read lines up to 3. Restore the checkpoint from a backup"),
            e.getMessage());
        // Nor may the batch that runs again after the crash read it.
        org.junit.jupiter.api.Assertions.assertThrows(io.freshet.streaming.FreshetException.class,
            () -> read(read, new Offset("{\"lines\":2}"), new Offset("{\"lines\":3}")));
      } finally {
        read.close();
      }
      assertEquals(full - 2, Files.size(segment()), "a refused start changed the log");
    }
    // The checkpoint's batches read two lines: the third was never acknowledged, and a restart goes on without it,
    // cutting it off the log at its first offset.
    SocketSource second = source(freePort());
    try {
      second.restore(new Offset("{\"lines\":2}"));
      Offset end = second.latestOffset();
      assertEquals(2, lines(end));
      assertEquals(List.of(Row.of("one"), Row.of("two")), read(second, null, end));
      assertEquals(26, Files.size(segment()));
    } finally {
      second.close();
    }
  }

  @Test
  void aLogHoldingFewerLinesThanTheCheckpointReadIsRefused() throws Exception {
    receive("one\ntwo\nthree\n", 3);
    Path segment = segment();
    Files.write(segment, new byte[0]);
    SocketSource emptied = source(freePort());
    try {
      io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.freshet.streaming.FreshetException.class, () -> emptied.restore(new Offset("{\"lines\":3}")));
      assertEquals("The socket source's write-ahead log " + wal + " holds 0 lines, but a batch of the checkpoint read "
          + "lines up to 3: a segment is missing or was cut short (newest: " + segment + "). Restore the checkpoint "
          + "from a backup, or use a new checkpoint location (the lines in the log that no committed batch read are "
          + "then lost)", e.getMessage());
    } finally {
      emptied.close();
    }
    Files.delete(segment);
    SocketSource deleted = source(freePort());
    try {
      io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.freshet.streaming.FreshetException.class, () -> deleted.restore(new Offset("{\"lines\":3}")));
      assertTrue(e.getMessage().contains(wal + " holds 0 lines, but a batch of the checkpoint read lines up to 3: "
          + "its segments are missing."), e.getMessage());
    } finally {
      deleted.close();
    }
  }

  /**
   * The socket source's row of the fault matrix (the engine's is {@code CheckpointFaultMatrixTest}): a log of four
   * lines that the checkpoint's batches read all of, the last batch (lines 3 to 4) to run again, damaged each way;
   * the restart must give that batch's exact rows or refuse naming the log, twice (a refused start changes
   * nothing).
   */
  @Test
  void everyFaultOfTheLogGivesTheExactBatchOrARefusalNamingIt() throws Exception {
    receive("one\ntwo\nthree\nfour\n", 4);
    byte[] pristine = Files.readAllBytes(segment());
    Path segment = segment();
    int lastRecord = pristine.length - ("four\n".length() + 9);
    Map<String, java.util.function.UnaryOperator<byte[]>> faults = new java.util.LinkedHashMap<>();
    faults.put("none", b -> b);
    faults.put("delete", b -> null);
    faults.put("empty", b -> new byte[0]);
    faults.put("truncate-half", b -> java.util.Arrays.copyOf(b, b.length / 2));
    faults.put("truncate-last-byte", b -> java.util.Arrays.copyOf(b, b.length - 1));
    faults.put("flip-checksum-of-first", b -> flip(b, 0));
    faults.put("flip-start", b -> flip(b, 9));
    faults.put("flip-middle", b -> flip(b, b.length / 2));
    faults.put("flip-last-checksum", b -> flip(b, lastRecord + 3));
    faults.put("flip-end-of-payload", b -> flip(b, b.length - 2));
    faults.put("flip-last-line-break", b -> flip(b, b.length - 1));
    Map<String, String> outcomes = new java.util.LinkedHashMap<>();
    for (var fault : faults.entrySet()) {
      byte[] damaged = fault.getValue().apply(pristine.clone());
      Files.deleteIfExists(segment);
      if (damaged != null) {
        Files.write(segment, damaged);
      }
      Map<String, String> before = contents();
      String outcome = restartAndRerun();
      if (outcome.equals("REFUSED")) {
        // A refused start changes nothing, so a second start is refused the same way.
        Map<String, String> after = contents();
        String again = restartAndRerun();
        if (!after.equals(before)) {
          outcome = "WRONG: the refused start changed the log from " + before + " to " + after;
        } else if (!again.equals(outcome)) {
          outcome = "WRONG: a second start gave " + again;
        }
      }
      outcomes.put(fault.getKey(), outcome);
      Files.write(segment, pristine);
    }
    System.out.println("socket WAL faults: " + outcomes);
    assertEquals("EXACT", outcomes.get("none"));
    outcomes.forEach((fault, outcome) -> assertTrue(outcome.equals("EXACT") || outcome.equals("REFUSED"),
        fault + ": " + outcome));
  }

  /** The log directory's files and a digest of their bytes. */
  private Map<String, String> contents() throws Exception {
    Map<String, String> files = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> list = Files.list(wal)) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)) + "/" + Files.size(p));
      }
    }
    return files;
  }

  private static byte[] flip(byte[] b, int at) {
    b[at] ^= 0x01;
    return b;
  }

  /** A restart of the checkpoint of {@link #everyFaultOfTheLogGivesTheExactBatchOrARefusalNamingIt}. */
  private String restartAndRerun() {
    SocketSource s;
    try {
      s = source(freePort());
    } catch (Exception e) {
      return refused(e);
    }
    try {
      s.restore(new Offset("{\"lines\":4}"));
      List<Row> rows = read(s, new Offset("{\"lines\":3}"), new Offset("{\"lines\":4}"));
      return rows.equals(List.of(Row.of("four"))) ? "EXACT" : "WRONG: " + rows;
    } catch (io.freshet.streaming.FreshetException e) {
      return refused(e);
    } finally {
      s.close();
    }
  }

  private String refused(Exception e) {
    return e.getMessage() != null && e.getMessage().contains(wal.toString()) ? "REFUSED" : "VAGUE: " + e;
  }

  /**
   * The source after its first offset, as the engine asks once the checkpoint's batches were checked: only then
   * does it connect and receive.
   */
  private static SocketSource started(SocketSource source) {
    source.latestOffset();
    return source;
  }

  @Test
  void linesSentWhileTheQueryRestartsWaitUntilTheCheckpointWasChecked() throws Exception {
    receive("one\ntwo\nthree\n", 3);
    byte[] logged = Files.readAllBytes(segment());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // A peer that sends four more lines as soon as it is connected to, to each of two starts.
      Thread peer = new Thread(() -> {
        for (int start = 0; start < 2; start++) {
          try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
            out.write("four\nfive\nsix\nseven\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            s.getInputStream().read(); // until the source goes
          } catch (java.io.IOException ignored) {
            // the source went
          }
        }
      });
      peer.start();
      // The log emptied: the checkpoint's batches read three lines it no longer holds. The lines the peer sends
      // must not fill it up to three before the check (they would be taken for lines already read).
      Files.write(segment(), new byte[0]);
      SocketSource emptied = source(server.getLocalPort());
      try {
        await("the peer's lines received", () -> emptied.status().startsWith(emptied.description() + ": connected"));
        io.freshet.streaming.FreshetException e = org.junit.jupiter.api.Assertions.assertThrows(
            io.freshet.streaming.FreshetException.class, () -> emptied.restore(new Offset("{\"lines\":3}")));
        assertTrue(e.getMessage().contains("holds 0 lines, but a batch of the checkpoint read lines up to 3"),
            e.getMessage());
        assertEquals(0, Files.size(segment()), "a refused start wrote to the log");
      } finally {
        emptied.close();
      }
      // With the log put back, the restart reads the peer's lines after the three.
      Files.write(segment(), logged);
      SocketSource restored = source(server.getLocalPort());
      try {
        restored.restore(new Offset("{\"lines\":3}"));
        Offset[] latest = new Offset[1];
        await("seven lines in the log", () -> lines(latest[0] = restored.latestOffset()) == 7);
        assertEquals(List.of(Row.of("four"), Row.of("five"), Row.of("six"), Row.of("seven")),
            read(restored, new Offset("{\"lines\":3}"), latest[0]));
      } finally {
        restored.close();
      }
      peer.join(10_000);
    }
  }

  /**
   * Once the query has checked its checkpoint ({@code resumed}), lines go to the log as they come, before any batch
   * asks for an offset (a DStream program's first batch comes a batch interval after its start): a stop then keeps
   * them.
   */
  @Test
  void linesReceivedAfterTheCheckButBeforeTheFirstBatchAreKept() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SocketSource first = source(server.getLocalPort());
      first.resumed();
      try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
        out.write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        await("three lines in the log", () -> {
          try (java.util.stream.Stream<Path> files = Files.list(wal)) {
            return files.filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum()
                == 3 * 9 + "one\ntwo\nthree\n".length();
          } catch (java.io.IOException e) {
            return false;
          }
        });
      } finally {
        first.close();
      }
    }
    SocketSource second = source(freePort());
    try {
      Offset end = second.latestOffset();
      assertEquals(List.of(Row.of("one"), Row.of("two"), Row.of("three")), read(second, null, end));
    } finally {
      second.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
