package io.freshet.shell;

import io.freshet.sql.FreshetSession;
import io.freshet.sql.ddl.ScriptSplitter;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code bin/freshet}: the interactive SQL shell, or, with {@code -e} or {@code -f}, a script runner that exits
 * 0 when every statement succeeded and 1 with the error on standard error otherwise.
 */
public final class Main {
  private static final String USAGE = """
      Usage: freshet [-e "statements"] [-f file.sql] [-o table|csv] [--no-nexmark]
        (no -e/-f)    interactive shell; statements end with ';', Ctrl-C stops a running SELECT, Ctrl-D exits
        -e TEXT       run the statements in TEXT, in order, then exit
        -f FILE       run the statements in FILE, in order, then exit
        -o csv        print query results as CSV without a header (default: table)
        --no-nexmark  do not register the built-in Nexmark streams bid, auction and person
      """;

  private Main() { }

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the shell with the given streams and returns the exit code. */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    String script = null;
    boolean csv = false;
    boolean defaults = true;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-e" -> script = append(script, value(args, ++i, "-e"));
          case "-f" -> script = append(script, readFile(value(args, ++i, "-f")));
          case "-o" -> {
            String format = value(args, ++i, "-o");
            if (!format.equals("csv") && !format.equals("table")) {
              throw new IllegalArgumentException("-o takes table or csv, not '" + format + "'");
            }
            csv = format.equals("csv");
          }
          case "--no-nexmark" -> defaults = false;
          case "-h", "--help" -> {
            out.print(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("freshet: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    try (FreshetSession session = FreshetSession.builder().appName("freshet-shell").console(out).create()) {
      Shell shell = new Shell(session, out, csv, script == null);
      if (defaults) {
        shell.registerDefaults();
      }
      if (script != null) {
        // SIGTERM or Ctrl-C: each running query finishes and commits the batch in flight, then the process exits.
        Thread graceful = new Thread(() -> session.streams().active().forEach(q -> q.stop()), "freshet-stop");
        Runtime.getRuntime().addShutdownHook(graceful);
        try {
          shell.runScript(script, q -> { });
          shell.awaitBackgroundQueries();
          return 0;
        } catch (RuntimeException e) {
          err.println("ERROR: " + e.getMessage());
          return 1;
        }
      }
      return interactive(shell, in, out);
    } catch (RuntimeException e) {
      err.println("ERROR: " + e.getMessage());
      return 1;
    }
  }

  private static int interactive(Shell shell, InputStream in, OutputStream out) {
    try (Terminal terminal = in == System.in ? TerminalBuilder.builder().system(true).build()
        : TerminalBuilder.builder().system(false).streams(in, out).dumb(true).build()) {
      return repl(shell, terminal);
    } catch (IOException e) {
      System.err.println("ERROR: cannot open the terminal: " + e.getMessage());
      return 1;
    }
  }

  static int repl(Shell shell, Terminal terminal) {
    LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("freshet")
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "     -> ")
        .build();
    PrintStream out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
    out.println("Freshet SQL shell. Statements end with ';'. The Nexmark streams bid, auction and person are ready:");
    out.println("  SELECT auction, price FROM bid WHERE price > 1000;");
    out.println("Ctrl-C stops a running query; Ctrl-D or 'quit;' leaves.");
    AtomicReference<StreamingQuery> running = new AtomicReference<>();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> {
      StreamingQuery q = running.get();
      if (q != null) {
        new Thread(q::stop, "freshet-shell-stop").start();
      }
    });
    StringBuilder buffer = new StringBuilder();
    try {
      while (true) {
        String line;
        try {
          line = reader.readLine(buffer.length() == 0 ? "freshet> " : "     -> ");
        } catch (UserInterruptException e) {
          buffer.setLength(0);
          continue;
        } catch (EndOfFileException e) {
          return 0;
        }
        buffer.append(line).append('\n');
        if (!ScriptSplitter.isComplete(buffer.toString())) {
          continue;
        }
        String text = buffer.toString();
        buffer.setLength(0);
        for (ScriptSplitter.Piece piece : ScriptSplitter.split(text)) {
          String word = piece.text().trim().toLowerCase();
          if (word.equals("quit") || word.equals("exit")) {
            return 0;
          }
          try {
            shell.run(piece, running::set);
          } catch (RuntimeException e) {
            out.println("[ERROR] " + e.getMessage());
          } finally {
            running.set(null);
          }
        }
      }
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static String append(String script, String more) {
    return script == null ? more : script + "\n;\n" + more;
  }

  private static String readFile(String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + path);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
    }
  }
}
