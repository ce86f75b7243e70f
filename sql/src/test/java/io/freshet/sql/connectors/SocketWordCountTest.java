package io.freshet.sql.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.FreshetSession;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's network word count: lines from a socket, split into words, counted; across reconnects and restarts. */
class SocketWordCountTest {
  static final String WORD_COUNT = "SELECT word, COUNT(*) AS n FROM lines "
      + "CROSS JOIN UNNEST(SPLIT(`value`, ' ')) AS t(word) WHERE word <> '' GROUP BY word";

  @TempDir
  Path tmp;
  private ServerSocket server;
  private FreshetSession session;

  @BeforeEach
  void setUp() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    session = FreshetSession.builder().create();
    session.sql("CREATE STREAM lines WITH ('connector' = 'socket', 'host' = '127.0.0.1', 'port' = '"
        + server.getLocalPort() + "', 'maxReconnectDelay' = '200')");
  }

  @AfterEach
  void tearDown() throws IOException {
    session.close();
    server.close();
  }

  private StreamingQuery start() {
    return session.sql(WORD_COUNT).writeStream().format("memory").queryName("counts")
        .outputMode(OutputMode.COMPLETE).option("checkpointLocation", tmp.resolve("cp").toString()).start();
  }

  private Map<String, Long> counts() {
    Map<String, Long> m = new TreeMap<>();
    if (session.streams().active().stream().noneMatch(q -> q.lastProgress() != null)) {
      return m;
    }
    for (Row r : session.memoryTableRows("counts")) {
      m.put((String) r.get(0), (Long) r.get(1));
    }
    return m;
  }

  /** Runs batches until the counts are {@code expected}: the lines cross the network asynchronously. */
  private void awaitCounts(StreamingQuery q, Map<String, Long> expected) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!counts().equals(expected)) {
      assertTrue(System.nanoTime() < deadline, "counts " + counts() + ", expected " + expected + "; status "
          + q.status());
      q.processAllAvailable();
      Thread.sleep(10);
    }
  }

  private static void send(Socket peer, String text) throws IOException {
    OutputStream out = peer.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void countsWordsAcrossAReconnectAndARestart() throws Exception {
    StreamingQuery q = start();
    try (Socket peer = server.accept()) {
      send(peer, "the quick  fox\nthe lazy dog\n");
      awaitCounts(q, Map.of("the", 2L, "quick", 1L, "fox", 1L, "lazy", 1L, "dog", 1L));
    }
    // The server went away and comes back: the source reconnects by itself.
    try (Socket peer = server.accept()) {
      assertTrue(q.status().message().contains("SocketSource[127.0.0.1:"), q.status().message());
      send(peer, "the end\n");
      awaitCounts(q, Map.of("the", 3L, "quick", 1L, "fox", 1L, "lazy", 1L, "dog", 1L, "end", 1L));
    }
    q.stop();

    StreamingQuery again = start();
    try (Socket peer = server.accept()) {
      send(peer, "fox\n");
      awaitCounts(again, Map.of("the", 3L, "quick", 1L, "fox", 2L, "lazy", 1L, "dog", 1L, "end", 1L));
    }
    again.stop();
  }

  @Test
  void unnestSplitKeepsTheOtherColumnsAndCalcitesSplitRules() {
    session.sql("CREATE STREAM s (id BIGINT, line VARCHAR) WITH ('connector' = 'memory')");
    var input = session.memoryStream("s");
    StreamingQuery q = session.sql("SELECT id, piece FROM s CROSS JOIN UNNEST(SPLIT(line, '::')) AS t(piece)")
        .writeStream().format("memory").queryName("pieces").start();
    input.addData(Row.of(1L, "a::b"), Row.of(2L, ""), Row.of(3L, null), Row.of(4L, "::x::"), Row.of(5L, "solo"));
    q.processAllAvailable();
    q.stop();
    assertEquals(List.of(Row.of(1L, "a"), Row.of(1L, "b"), Row.of(4L, ""), Row.of(4L, "x"), Row.of(4L, ""),
        Row.of(5L, "solo")), session.memoryTableRows("pieces"));
  }
}
