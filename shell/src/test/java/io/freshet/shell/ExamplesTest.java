package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.examples.streaming.JavaQueueStream;
import io.freshet.examples.streaming.JavaSqlNetworkWordCount;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ported Spark examples run as programs (in a child JVM, as {@code bin/run-example} runs them). */
class ExamplesTest {

  /** Runs {@code main} with {@code args} and reads its standard output until {@code until} holds of it. */
  private static List<String> runUntil(Class<?> main, java.util.function.Predicate<List<String>> until,
      String... args) throws Exception {
    List<String> command = ChildJvm.command("256m", null);
    command.add(main.getName());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    // A program that never prints the line would keep the test waiting: it is killed after 60 s.
    java.util.concurrent.ScheduledExecutorService watchdog = java.util.concurrent.Executors
        .newSingleThreadScheduledExecutor();
    watchdog.schedule(p::destroyForcibly, 60, java.util.concurrent.TimeUnit.SECONDS);
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (until.test(lines)) {
          return lines;
        }
      }
    } finally {
      watchdog.shutdownNow();
      p.destroyForcibly();
      p.waitFor();
    }
    throw new AssertionError("the program ended before the output expected: " + lines);
  }

  @Test
  void queueStreamPrintsEachBatchsCountsByLastDigit() throws Exception {
    List<String> out = runUntil(JavaQueueStream.class, lines -> lines.contains("(9,100)"));
    assertTrue(out.get(0).equals("-------------------------------------------") && out.get(1).matches("Time: \\d+ ms")
        && out.contains("(0,100)"), out.toString());
  }

  @Test
  void sqlNetworkWordCountRunsSqlOnEachBatch() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread feeder = new Thread(() -> {
        try (Socket peer = server.accept()) {
          OutputStream o = peer.getOutputStream();
          o.write("to be or not to be\n".getBytes(StandardCharsets.UTF_8));
          o.flush();
          peer.getInputStream().read(); // hold the connection until the program is killed
        } catch (IOException ignored) {
          // the program was killed
        }
      });
      feeder.setDaemon(true);
      feeder.start();
      List<String> out = runUntil(JavaSqlNetworkWordCount.class,
          lines -> lines.contains("|  to|    2|") && lines.get(lines.size() - 1).equals("+----+-----+"), "127.0.0.1",
          Integer.toString(server.getLocalPort()));
      int header = out.lastIndexOf("|word|total|");
      assertTrue(header > 0 && out.get(header - 2).matches("========= \\d+ ms=========")
          && out.contains("|  be|    2|") && out.contains("|  or|    1|"), out.toString());
    }
  }
}
