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
    return new SocketSource("127.0.0.1", port, 200, FormatOptions.TEXT_SCHEMA,
        FormatOptions.defaults(FormatOptions.Format.TEXT), wal, allocator);
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
      SocketSource first = source(server.getLocalPort());
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
      await("a reconnection attempt", () -> second.status().contains("reconnecting"));
      assertTrue(second.status().startsWith("SocketSource[127.0.0.1:"), second.status());
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
