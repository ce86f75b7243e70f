package io.freshet.shell;

import io.freshet.sql.parser.ScriptSplitter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * The interactive prompt. Statements are read whole, over as many lines as they take, with completion
 * ({@link SqlCompleter}), highlighting ({@link SqlHighlighter}) and a history kept in {@link #historyFile()}, where a
 * statement of many lines is one entry. The prompt shows how many persistent queries run ({@code freshet[2]> }).
 * Each statement runs on a thread of its own while the prompt's thread waits for it, so that Ctrl-C always answers:
 * the first press stops what the statement started (a streaming SELECT, the query of a bounded one); if the
 * statement has not ended {@value #GRACE_MS} ms later, or at a second press, the prompt comes back and the
 * statement is left to end on its own. Background queries (INSERT INTO) run on; one that fails or finishes is
 * reported above the prompt. Ctrl-D or {@code quit;} leaves, stopping the background queries once the user says so.
 */
final class Repl {
  /** How long after Ctrl-C a statement may take to end before the prompt comes back without it. */
  static final long GRACE_MS = 3000;
  private static final long WATCH_MS = 250;
  /** The environment variable, and the system property (which wins), that name the history file. */
  static final String HISTORY_ENV = "FRESHET_HISTORY";
  static final String HISTORY_PROPERTY = "freshet.history";
  private static final String CONTINUATION = "     -> ";

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
        .parser(new SqlLineParser())
        .completer(new SqlCompleter(new SessionNames(shell.session())))
        .highlighter(new SqlHighlighter())
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
        .variable(LineReader.HISTORY_FILE, historyFile())
        .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
        .option(LineReader.Option.CASE_INSENSITIVE, true)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
        .build();
  }

  /**
   * Where the history is kept: {@code -Dfreshet.history}, else {@code $FRESHET_HISTORY}, else
   * {@code ~/.freshet_history}.
   */
  static Path historyFile() {
    String property = System.getProperty(HISTORY_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv(HISTORY_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".freshet_history");
  }

  /** {@code freshet> }, or with the number of persistent queries that run, {@code freshet[2]> }. */
  static String prompt(int running) {
    return running == 0 ? "freshet> " : "freshet[" + running + "]> ";
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
    while (true) {
      String text;
      try {
        // The parser makes Enter go on to a new line until the statement ends with ';'.
        text = reader.readLine(prompt(shell.runningQueries().size()));
      } catch (UserInterruptException e) {
        continue;
      } catch (EndOfFileException e) {
        if (leave()) {
          return 0;
        }
        continue;
      }
      for (ScriptSplitter.Piece piece : ScriptSplitter.split(text)) {
        String word = piece.text().trim().toLowerCase(Locale.ROOT);
        if (word.equals("quit") || word.equals("exit")) {
          if (leave()) {
            return 0;
          }
          break;
        }
        execute(piece);
      }
    }
  }

  /**
   * Leaves, once the user says so when persistent queries run, stopping them (each commits its batch in flight);
   * returns false to stay. Ctrl-C gives up on waiting for them, and the process ends at once (a checkpoint stays
   * consistent whenever a process ends).
   */
  private boolean leave() {
    int running = shell.runningQueries().size();
    if (running > 0 && !confirm(running + (running == 1 ? " query is running; stop it and exit? [y/N] "
        : " queries are running; stop them and exit? [y/N] "))) {
      return false;
    }
    if (!run("leaving", shell::stopBackgroundQueries)) {
      out.println("[WARN] Leaving without waiting for the queries to stop; they resume from their checkpoints");
      out.flush();
      Runtime.getRuntime().halt(130);
    }
    return true;
  }

  /** Asks a yes-or-no question; only y or yes is yes (Ctrl-C and Ctrl-D are no). */
  private boolean confirm(String question) {
    LineReader answer = LineReaderBuilder.builder().terminal(terminal).appName("freshet")
        .variable(LineReader.DISABLE_HISTORY, true).build();
    try {
      String word = answer.readLine(question).trim().toLowerCase(Locale.ROOT);
      return word.equals("y") || word.equals("yes");
    } catch (UserInterruptException | EndOfFileException e) {
      out.println();
      return false;
    }
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

  /**
   * Reports background queries that ended above the prompt, with the prompt's count brought up to date; while a
   * statement shows its results the report waits, so as not to write into them.
   */
  private void watchBackgroundQueries() {
    while (!Thread.currentThread().isInterrupted()) {
      if (reader instanceof LineReaderImpl impl && impl.isReading()) {
        shell.reportEndedQueries(message -> {
          impl.setPrompt(prompt(shell.runningQueries().size()));
          reader.printAbove(message);
        });
      }
      try {
        Thread.sleep(WATCH_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
