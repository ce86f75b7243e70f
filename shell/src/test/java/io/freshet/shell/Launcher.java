package io.freshet.shell;

import io.freshet.sql.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a user runs, started the way a user starts it: {@code bin/freshet}, {@code bin/run-example} and
 * {@code bin/kafka-local} of this checkout, each in a child process (the launchers run the packaged jar,
 * {@code shell/target/freshet.jar}). An interactive session runs in a pseudo-terminal (util-linux {@code script}),
 * so that typed lines, Ctrl-C and Ctrl-D reach the shell exactly as from a keyboard.
 */
final class Launcher {
  static final Path REPOSITORY = KafkaBroker.repository();
  /**
   * JVM options for every child (a small heap and a quick start), before those a test adds; its temporary files
   * (a query's checkpoint without a location) go where the test's own do (the build puts them on tmpfs when there
   * is one, see the parent pom's {@code freshet.test.tmpdir}).
   */
  static final String JAVA_OPTS = "-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.io.tmpdir="
      + System.getProperty("java.io.tmpdir");
  /** The shell's prompt: {@code freshet> }, or with the number of persistent queries that run, {@code freshet[2]> }. */
  static final Pattern PROMPT = Pattern.compile("freshet(\\[\\d+])?> ");
  private static final Pattern ESCAPES = Pattern.compile("\u001B(\\[[0-?]*[ -/]*[@-~]|[=>]|\\][^\u0007]*\u0007)|\r");

  static {
    prepareArchive();
  }

  private Launcher() {
  }

  /**
   * The first start after a build prepares the class-data-sharing archive of the launchers and says so on standard
   * error; this start is made here, once, so that no test's output holds those lines (ClassDataSharingIT tests them).
   */
  private static void prepareArchive() {
    Result result = run(builder("freshet", List.of("--help"), null), "", Duration.ofMinutes(10));
    if (result.exit() != 0) {
      throw new AssertionError("bin/freshet --help failed:\n" + result.stdout() + "\n" + result.stderr());
    }
  }

  /** The command line of {@code bin/<launcher> args}, run in the checkout with {@code javaOpts} added. */
  static ProcessBuilder builder(String launcher, List<String> args, String javaOpts) {
    return builder(REPOSITORY, launcher, args, javaOpts);
  }

  /** The command line of {@code bin/<launcher> args} of the checkout (or copy of it) {@code checkout}, run there. */
  static ProcessBuilder builder(Path checkout, String launcher, List<String> args, String javaOpts) {
    List<String> command = new ArrayList<>();
    command.add(checkout.resolve("bin").resolve(launcher).toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile());
    builder.environment().put("FRESHET_JAVA_OPTS", JAVA_OPTS + (javaOpts == null ? "" : " " + javaOpts));
    return builder;
  }

  /** {@code bin/freshet args} with no input, run to its end (at most {@code timeout}). */
  static Result freshet(Duration timeout, String... args) {
    return run(builder("freshet", List.of(args), null), "", timeout);
  }

  /** Runs a command with {@code input} on its standard input until it ends; fails the test after {@code timeout}. */
  static Result run(ProcessBuilder builder, String input, Duration timeout) {
    Running running = Running.start(builder);
    try {
      try (OutputStream in = running.process.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // it ended without reading its input
      }
      if (!running.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", builder.command()) + " did not end in " + timeout.toSeconds()
            + " s; its output:\n" + running.stdout() + "\nerrors:\n" + running.stderr());
      }
      running.awaitStreams();
      return new Result(running.process.exitValue(), running.stdout(), running.stderr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      running.kill();
    }
  }

  /** A finished run: exit code, standard output and standard error. */
  record Result(int exit, String stdout, String stderr) {
    /** Asserts the run succeeded and returns it. */
    Result ok() {
      if (exit != 0) {
        throw new AssertionError("exit code " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }

    List<String> lines() {
      return stdout.lines().toList();
    }
  }

  /** A child process whose standard output and error are collected as they come. */
  static final class Running implements AutoCloseable {
    final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    private Running(Process process) {
      this.process = process;
      this.outReader = pump(process.getInputStream(), out);
      this.errReader = pump(process.getErrorStream(), err);
    }

    static Running start(ProcessBuilder builder) {
      try {
        return new Running(builder.start());
      } catch (IOException e) {
        throw new AssertionError("cannot start " + builder.command(), e);
      }
    }

    private Thread pump(InputStream from, ByteArrayOutputStream to) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          int n;
          while ((n = from.read(buffer)) >= 0) {
            synchronized (this) {
              to.write(buffer, 0, n);
              notifyAll();
            }
          }
        } catch (IOException ignored) {
          // the process ended
        }
        synchronized (this) {
          notifyAll();
        }
      });
      t.setDaemon(true);
      t.start();
      return t;
    }

    synchronized String stdout() {
      return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
      return err.toString(StandardCharsets.UTF_8);
    }

    /** Standard output with terminal escape sequences and carriage returns taken out. */
    String screen() {
      return ESCAPES.matcher(stdout()).replaceAll("");
    }

    /** Waits until {@code condition} holds of the screen (fails when the process ends first, or after 60 s). */
    String await(String what, Predicate<String> condition) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      synchronized (this) {
        while (true) {
          String screen = screen();
          if (condition.test(screen)) {
            return screen;
          }
          if (!process.isAlive() && !outReader.isAlive() || System.nanoTime() > deadline) {
            throw new AssertionError("waited for " + what + (process.isAlive() ? " for 60 s" : ", but the process "
                + "ended with " + process.exitValue()) + "; the screen:\n" + screen + "\nerrors:\n" + stderr());
          }
          try {
            wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
      }
    }

    /** Waits until the screen shows {@code text} {@code count} times in all. */
    String awaitCount(String text, int count) {
      return await(count + " × '" + text + "'", s -> occurrences(s, text) >= count);
    }

    /** Waits until standard error shows {@code text}. */
    String awaitStderr(String text) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      synchronized (this) {
        while (!stderr().contains(text)) {
          if (!process.isAlive() && !errReader.isAlive() || System.nanoTime() > deadline) {
            throw new AssertionError("waited for '" + text + "' on standard error; it shows:\n" + stderr());
          }
          try {
            wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
        return stderr();
      }
    }

    /** Waits for the end (at most {@code timeout}) and returns the exit code. */
    int awaitExit(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("still running after " + timeout.toSeconds() + " s; the screen:\n" + screen()
              + "\nerrors:\n" + stderr());
        }
        awaitStreams();
        return process.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    private void awaitStreams() throws InterruptedException {
      outReader.join(10_000);
      errReader.join(10_000);
    }

    /** Sends a signal to the process (the launchers exec java, so this is the JVM). */
    void signal(String name) {
      try {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** SIGKILL, and waits until it is gone. */
    void kill() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      kill();
    }
  }

  /**
   * {@code bin/<launcher> args} in a pseudo-terminal of 200 columns, as from a terminal window: what the test
   * types arrives as keystrokes ({@code \r} ends a line, Ctrl-C interrupts, Ctrl-D is end of input).
   */
  static final class Terminal implements AutoCloseable {
    final Running running;
    private final OutputStream keyboard;

    Terminal(String launcher, List<String> args, Map<String, String> environment) {
      StringBuilder command = new StringBuilder("stty cols 200 rows 50; exec ");
      command.append(quote(REPOSITORY.resolve("bin").resolve(launcher).toString()));
      for (String a : args) {
        command.append(' ').append(quote(a));
      }
      ProcessBuilder builder = new ProcessBuilder("script", "-qfec", command.toString(), "/dev/null")
          .directory(REPOSITORY.toFile());
      builder.environment().put("FRESHET_JAVA_OPTS", JAVA_OPTS);
      builder.environment().put("TERM", "xterm-256color");
      builder.environment().putAll(environment);
      running = Running.start(builder);
      keyboard = running.process.getOutputStream();
    }

    /** Types {@code text} and Enter. */
    Terminal type(String text) {
      return keys(text.replace("\n", "\r") + "\r");
    }

    Terminal keys(String keys) {
      try {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
      } catch (IOException e) {
        throw new AssertionError("the terminal is gone; the screen:\n" + running.screen(), e);
      }
      return this;
    }

    Terminal ctrlC() {
      return keys("\u0003");
    }

    Terminal ctrlD() {
      return keys("\u0004");
    }

    /** Waits until the screen shows {@code text} {@code count} times in all, and returns the screen. */
    String awaitCount(String text, int count) {
      return running.awaitCount(text, count);
    }

    /** Waits until the prompt (with or without a count of queries) has been shown {@code count} times in all. */
    String awaitPrompt(int count) {
      return running.await(count + " prompts", s -> prompts(s) >= count);
    }

    String screen() {
      return running.screen();
    }

    @Override
    public void close() {
      running.kill();
    }
  }

  /** How many times the shell's prompt shows in {@code text}. */
  static int prompts(String text) {
    return (int) PROMPT.matcher(text).results().count();
  }

  static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
