package io.freshet.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code bin/freshet} in a real terminal of 160 columns and 50 rows: a tmux session on a tmux server of its own.
 * Keys go in with {@code send-keys} as from a keyboard, and the test reads the screen as a person sees it with
 * {@code capture-pane} (a table redrawn in place shows its latest state, not the history of its drawing).
 */
final class Tmux implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;
  /** The tmux server's socket, deleted at the end. */
  private final String socket = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "freshet-tmux-"
      + ProcessHandle.current().pid() + "-" + System.nanoTime()).toString();

  /** Starts {@code bin/freshet args} with {@code environment} added to the test's own. */
  Tmux(List<String> args, Map<String, String> environment) {
    StringBuilder command = new StringBuilder("exec env");
    environment.forEach((k, v) -> command.append(' ').append(k).append('=').append(quote(v)));
    command.append(" FRESHET_JAVA_OPTS=").append(quote(Launcher.JAVA_OPTS));
    command.append(' ').append(quote(Launcher.REPOSITORY.resolve("bin/freshet").toString()));
    args.forEach(a -> command.append(' ').append(quote(a)));
    tmux("new-session", "-d", "-s", "shell", "-x", "160", "-y", "50", "-c", Launcher.REPOSITORY.toString(),
        command.toString());
  }

  /** Types {@code text} as it is (no Enter). */
  Tmux type(String text) {
    // tmux takes a ';' that ends an argument for the end of its command, unless it is escaped.
    tmux("send-keys", "-t", "shell", "-l", text.endsWith(";") ? text.substring(0, text.length() - 1) + "\\;" : text);
    return this;
  }

  /** Types {@code text} and Enter. */
  Tmux line(String text) {
    return type(text).keys("Enter");
  }

  /** Presses keys by tmux's names: Enter, Tab, Up, C-c, C-d, C-l, C-u. */
  Tmux keys(String... names) {
    List<String> command = new ArrayList<>(List.of("send-keys", "-t", "shell"));
    command.addAll(List.of(names));
    tmux(command.toArray(new String[0]));
    return this;
  }

  /** The screen as it is now, one line per row, trailing spaces dropped. */
  String screen() {
    return tmux("capture-pane", "-p", "-t", "shell");
  }

  /** Whether the shell still runs (its tmux session ends with it). */
  boolean running() {
    return run(List.of("tmux", "-S", socket, "has-session", "-t", "shell")).exit == 0;
  }

  /** Waits (at most a minute) until {@code condition} holds of the screen, and returns the screen. */
  String await(String what, Predicate<String> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    String screen = "";
    while (System.nanoTime() < deadline) {
      if (!running()) {
        throw new AssertionError("waited for " + what + ", but the shell ended; the screen was:\n" + screen);
      }
      screen = screen();
      if (condition.test(screen)) {
        return screen;
      }
      sleep(100);
    }
    throw new AssertionError("waited " + WAIT_SECONDS + " s for " + what + "; the screen:\n" + screen);
  }

  /** Waits until the screen shows {@code text}. */
  String awaitText(String text) {
    return await("'" + text + "'", s -> s.contains(text));
  }

  /** Waits until the last line of the screen that is not blank is {@code prompt} with nothing typed after it. */
  String awaitPrompt(String prompt) {
    return await("the prompt '" + prompt + "'", s -> lastLine(s).equals(prompt.strip()));
  }

  /** Waits (at most a minute) until the shell has ended. */
  void awaitEnd() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (running()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the shell did not end; the screen:\n" + screen());
      }
      sleep(100);
    }
  }

  /** The last line of {@code screen} that is not blank. */
  static String lastLine(String screen) {
    List<String> lines = screen.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  @Override
  public void close() {
    run(List.of("tmux", "-S", socket, "kill-server"));
    new java.io.File(socket).delete();
  }

  private String tmux(String... args) {
    List<String> command = new ArrayList<>(List.of("tmux", "-S", socket));
    command.addAll(List.of(args));
    Result r = run(command);
    if (r.exit != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (" + r.exit + "): " + r.output);
    }
    return r.output;
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not end");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + " (is tmux installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
