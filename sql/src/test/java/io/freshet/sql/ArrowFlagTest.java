package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A program that embeds Freshet in a JVM started without {@code --add-opens=java.base/java.nio=ALL-UNNAMED} fails
 * when it builds its session, with a message naming the flag; with the flag the same program runs.
 */
class ArrowFlagTest {

  /** The program: builds a session, runs a stateful query over a few rows, and prints its result. */
  public static final class Program {
    public static void main(String[] args) {
      try (FreshetSession session = FreshetSession.builder().master("local[1]").create()) {
        session.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '1000', "
            + "'base-time' = '2026-01-01 00:00:00')");
        System.out.println(session.sql("SELECT COUNT(*) AS n FROM bids").collectAsList());
      } catch (RuntimeException e) {
        System.out.println("failed: " + e.getMessage());
        System.exit(3);
      }
    }
  }

  /** Runs {@link Program} in a new JVM with {@code options}; returns its exit code and output. */
  private static List<String> run(String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of(options));
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Program.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the program did not end: " + output);
    return List.of(Integer.toString(process.exitValue()), output);
  }

  @Test
  void withoutTheFlagTheSessionFailsAtOnceNamingItAndWithItTheProgramRuns() throws Exception {
    List<String> without = run();
    assertEquals("3", without.get(0), without.get(1));
    assertTrue(without.get(1).contains("failed: A Freshet session needs the JVM option "
        + "--add-opens=java.base/java.nio=ALL-UNNAMED"), without.get(1));
    assertFalse(without.get(1).contains("Exception"), without.get(1));

    List<String> with = run("--add-opens=java.base/java.nio=ALL-UNNAMED");
    assertEquals("0", with.get(0), with.get(1));
    assertTrue(with.get(1).contains("[[920]]"), with.get(1));
  }
}
