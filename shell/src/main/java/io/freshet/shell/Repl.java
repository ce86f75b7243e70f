package io.freshet.shell;

import io.freshet.sql.parser.ScriptSplitter;
import java.io.PrintStream;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive prompt. Each statement runs on a thread of its own while the prompt's thread waits for it, so
 * that Ctrl-C always answers: the first press stops what the statement started (a streaming SELECT, the query of
 * a bounded one); if the statement has not ended {@value #GRACE_MS} ms later, or at a second press, the prompt
 * comes back and the statement is left to end on its own. Background queries (INSERT INTO) run on; one that fails
 * or finishes is reported above the prompt. Ctrl-D or {@code quit;} leaves, stopping the background queries.
 */
final class Repl {
  /** How long after Ctrl-C a statement may take to end before the prompt comes back without it. */
  static final long GRACE_MS = 3000;
  private static final long WATCH_MS = 250;

  private final Shell shell;
  private final Terminal terminal;
  private final LineReader reader;
  private final PrintStream out;
  private final boolean verbose;
  private final Object lock = new Object();
  /** The statement running now, or null at the prompt. */
  private Thread statement;
  /** Ctrl-C presses since the statement began. */
  private int interrupts;

  /** A prompt on {@code terminal}, where {@code out} writes. */
  Repl(Shell shell, Terminal terminal, PrintStream out, boolean verbose) {
    this.shell = shell;
    this.terminal = terminal;
    this.out = out;
    this.verbose = verbose;
    this.reader = LineReaderBuilder.builder().terminal(terminal).appName("freshet")
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "     -> ")
        .build();
  }

  /** Reads and runs statements until Ctrl-D or {@code quit;}; returns the exit code. */
  int run(String banner) {
    out.print(banner);
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> interrupt());
    Thread watcher = new Thread(this::watchBackgroundQueries, "freshet-shell-watcher");
    watcher.setDaemon(true);
    watcher.start();
    try {
      return loop();
    } finally {
      watcher.interrupt();
      terminal.handle(Terminal.Signal.INT, previous);
    }
  }

  private int loop() {
    StringBuilder buffer = new StringBuilder();
    while (true) {
      String line;
      try {
        line = reader.readLine(buffer.length() == 0 ? "freshet> " : "     -> ");
      } catch (UserInterruptException e) {
        buffer.setLength(0);
        continue;
      } catch (EndOfFileException e) {
        return leave();
      }
      buffer.append(line).append('\n');
      if (!ScriptSplitter.isComplete(buffer.toString())) {
        continue;
      }
      String text = buffer.toString();
      buffer.setLength(0);
      for (ScriptSplitter.Piece piece : ScriptSplitter.split(text)) {
        String word = piece.text().trim().toLowerCase(java.util.Locale.ROOT);
        if (word.equals("quit") || word.equals("exit")) {
          return leave();
        }
        execute(piece);
      }
    }
  }

  /**
   * Leaves, stopping the background queries (each commits its batch in flight); Ctrl-C gives up on waiting for them,
   * and the process ends at once (a checkpoint stays consistent whenever a process ends).
   */
  private int leave() {
    if (!run("leaving", shell::stopBackgroundQueries)) {
      out.println("[WARN] Leaving without waiting for the queries to stop; they resume from their checkpoints");
      out.flush();
      Runtime.getRuntime().halt(130);
    }
    return 0;
  }

  /** Runs one statement, reporting its error. */
  private void execute(ScriptSplitter.Piece piece) {
    if (!run(piece.text(), () -> shell.run(piece))) {
      out.println("[WARN] The statement did not stop; it is left to end on its own");
    }
  }

  /**
   * Runs {@code work} on a thread of its own and waits for it, until Ctrl-C gives up on it: a second press, or
   * {@value #GRACE_MS} ms after the first (which stops what the work started). Returns whether it ended; an error
   * it ended with is logged and shown.
   */
  private boolean run(String what, Runnable work) {
    Throwable[] failure = new Throwable[1];
    Thread running = new Thread(() -> {
      try {
        work.run();
      } catch (RuntimeException | Error e) {
        failure[0] = e;
      }
    }, "freshet-statement");
    running.setDaemon(true);
    synchronized (lock) {
      statement = running;
      interrupts = 0;
    }
    running.start();
    long giveUpAt = Long.MAX_VALUE;
    try {
      while (running.isAlive()) {
        running.join(50);
        synchronized (lock) {
          if (interrupts >= 2) {
            giveUpAt = 0;
          } else if (interrupts == 1 && giveUpAt == Long.MAX_VALUE) {
            giveUpAt = System.currentTimeMillis() + GRACE_MS;
          }
        }
        if (running.isAlive() && System.currentTimeMillis() >= giveUpAt) {
          running.interrupt();
          // What it started may have begun after the first Ctrl-C.
          shell.cancel();
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      synchronized (lock) {
        statement = null;
      }
    }
    if (failure[0] != null) {
      Main.logError(what, failure[0]);
      out.println(Main.describe("[ERROR] ", failure[0], verbose));
    }
    return true;
  }

  /** Ctrl-C while a statement runs (at the prompt, the line reader takes it and clears the line). */
  private void interrupt() {
    synchronized (lock) {
      if (statement == null) {
        return;
      }
      interrupts++;
    }
    shell.cancel();
  }

  private void watchBackgroundQueries() {
    while (!Thread.currentThread().isInterrupted()) {
      shell.reportEndedQueries(reader::printAbove);
      try {
        Thread.sleep(WATCH_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
