package io.freshet.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/** A child JVM for the crash tests: on the test's class path, optionally paused at a crash point. */
final class ChildJvm {
  private ChildJvm() {
  }

  /** The java command up to the main class: the Arrow flag, {@code heap}, and the pause point (null for none). */
  static List<String> command(String heap, String pauseAt) {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx" + heap, "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    if (pauseAt != null) {
      command.add("-Dfreshet.test.pauseAt=" + pauseAt);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return command;
  }

  /** The child's standard error, line by line as it comes, ending with {@code <eof>}. */
  static LinkedBlockingQueue<String> stderr(Process p) {
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process was killed
      }
      lines.add("<eof>");
    });
    t.setDaemon(true);
    t.start();
    return lines;
  }

  /** Waits (up to 120 s) for the child to say it paused at {@code point}; fails if it ended or never did. */
  static void awaitPause(LinkedBlockingQueue<String> err, String point) throws InterruptedException {
    String line;
    do {
      line = err.poll(120, java.util.concurrent.TimeUnit.SECONDS);
    } while (line != null && !line.equals("FRESHET-PAUSED " + point) && !line.equals("<eof>"));
    org.junit.jupiter.api.Assertions.assertEquals("FRESHET-PAUSED " + point, line,
        "the child reached " + point + ": " + String.join("\n", err));
  }
}
