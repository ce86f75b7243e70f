package io.freshet.shell;

import io.freshet.sql.FreshetSession;
import io.freshet.streaming.FreshetException;
import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.ui.WebUi;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code bin/freshet}: the interactive SQL shell, or, with {@code -e} or {@code -f} or with statements on a standard
 * input that is not a terminal, a script runner that exits 0 when every statement succeeded and 1 with the error on
 * standard error otherwise. Logs (with the stack traces of
 * errors) go to a file, {@code freshet.log} in the directory {@code -Dfreshet.log.dir} names; with
 * {@code --verbose} they go to standard error instead.
 */
public final class Main {
  private static final String USAGE = """
      Usage: freshet [-e "statements"] [-f file.sql] [-o table|csv|json] [--no-nexmark] [--verbose]
             freshet server [--host H] [--port P] [--users FILE] ...   (freshet server --help says more)
             freshet --connect http://HOST:PORT [--user NAME] [-e ...] [-f ...] [-o ...]
             freshet bench nexmark --query q5 [--events N] ...      (freshet bench nexmark says more)
        (no -e/-f)    interactive shell; statements end with ';', Ctrl-C stops a running SELECT, Ctrl-D exits;
                      when standard input is not a terminal, its statements run as a script
        -e TEXT       run the statements in TEXT, in order, then exit
        -f FILE       run the statements in FILE, in order, then exit
        -o FORMAT     print query results as a table (the default), as CSV without a header, or as JSON, one
                      object per row keyed by column name
        --no-nexmark  do not register the built-in Nexmark streams nexmark.bid, nexmark.auction, nexmark.person
        --verbose     write logs and the stack traces of errors to standard error, not to the log file
        --connect URL run the statements on a Freshet server (bin/freshet server) instead of in this process;
                      --user NAME logs in as NAME with the password in FRESHET_PASSWORD (or asked for)
      """;

  private Main() { }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** {@code freshet bench nexmark ...}: the Nexmark runner ({@link NexmarkRunner}). */
  private static int bench(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("nexmark")) {
      err.println("freshet: bench runs one suite, nexmark");
      err.print(NexmarkRunner.USAGE);
      return 2;
    }
    Logging.configure(false);
    try {
      return new NexmarkRunner(Path.of(System.getProperty("freshet.home", ".")), out)
          .run(java.util.Arrays.copyOfRange(args, 1, args.length));
    } catch (IllegalArgumentException e) {
      err.println("freshet: " + e.getMessage());
      err.print(NexmarkRunner.USAGE);
      return 2;
    } catch (java.io.IOException | RuntimeException e) {
      err.println(describe("ERROR: ", e, false));
      return 1;
    }
  }

  /** Runs the shell and returns the exit code. */
  static int run(String[] args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    if (args.length > 0 && args[0].equals("server")) {
      return server(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (args.length > 0 && args[0].equals("bench")) {
      return bench(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    String script = null;
    RowPrinter.Format format = RowPrinter.Format.TABLE;
    boolean defaults = true;
    boolean verbose = false;
    String connect = null;
    String user = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-e" -> script = append(script, value(args, ++i, "-e"));
          case "-f" -> script = append(script, readFile(value(args, ++i, "-f")));
          case "-o" -> format = RowPrinter.Format.named(value(args, ++i, "-o"));
          case "--no-nexmark" -> defaults = false;
          case "--connect" -> connect = value(args, ++i, "--connect");
          case "--user" -> user = value(args, ++i, "--user");
          case "--verbose" -> verbose = true;
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
    Path log = Logging.configure(verbose);
    if (connect != null) {
      return remote(connect, user, script, format, out, err, verbose);
    }
    boolean fromStdin = script == null && !stdinIsTerminal();
    boolean interactive = script == null && !fromStdin;
    try (Terminal terminal = interactive ? TerminalBuilder.builder().system(true).build() : null;
        FreshetSession session = FreshetSession.builder().appName("freshet-shell").console(out).notices(err)
            .create()) {
      if (!interactive) {
        Shell shell = new Shell(session, out, err, format, null);
        if (defaults) {
          shell.registerDefaults();
        }
        // SIGTERM or Ctrl-C: each running query finishes and commits the batch in flight, then the process exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> session.streams().active().forEach(q -> q.stop()),
            "freshet-stop"));
        try {
          if (fromStdin) {
            runStdin(shell);
          } else {
            shell.runScript(script);
          }
          shell.awaitBackgroundQueries();
          return 0;
        } catch (RuntimeException e) {
          logError("the script", e);
          err.println(describe("ERROR: ", e, verbose) + hint(e, log, verbose));
          return 1;
        }
      }
      PrintStream screen = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
      Shell shell = new Shell(session, screen, screen, format, terminal);
      if (defaults) {
        shell.registerDefaults();
      }
      boolean[] started = {false};
      try (WebUi ui = startUi(session, url -> {
        if (started[0]) {
          screen.println("Web UI at " + url);
        }
      }, screen)) {
        started[0] = true;
        String at = ui == null ? null : ui.url();
        return new Repl(shell, terminal, screen, verbose).run(banner(defaults, log)
            + (at == null ? "" : "Web UI and /metrics at " + at + " (SET 'ui.enabled' = 'false' turns it off)\n"));
      }
    } catch (IOException e) {
      err.println("ERROR: cannot open the terminal: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      logError("the shell", e);
      err.println(describe("ERROR: ", e, verbose) + hint(e, log, verbose));
      return 1;
    }
  }

  /**
   * The web UI of {@code session} on 127.0.0.1 at the port {@code -Dfreshet.ui.port} names (default 4040; the next
   * free one when taken; 0 any free one), or null when it cannot listen (said on {@code err}).
   */
  static WebUi startUi(FreshetSession session, java.util.function.Consumer<String> announce, PrintStream err) {
    try {
      int port = Integer.getInteger("freshet.ui.port", WebUi.DEFAULT_PORT);
      return WebUi.start(session, WebUi.DEFAULT_HOST, port, announce);
    } catch (FreshetException e) {
      logError("the web UI", e);
      err.println("WARNING: " + e.getMessage());
      return null;
    }
  }

  /** {@code --connect URL}: the shell, or the script, against a server. */
  private static int remote(String url, String user, String script, RowPrinter.Format format, PrintStream out,
      PrintStream err, boolean verbose) {
    boolean fromStdin = script == null && !stdinIsTerminal();
    boolean interactive = script == null && !fromStdin;
    try (Terminal terminal = interactive ? TerminalBuilder.builder().system(true).build() : null) {
      String password = System.getenv("FRESHET_PASSWORD");
      if (user != null && password == null && terminal != null) {
        password = org.jline.reader.LineReaderBuilder.builder().terminal(terminal).build()
            .readLine("Password for " + user + ": ", '*');
      }
      PrintStream screen = interactive ? new PrintStream(terminal.output(), true, StandardCharsets.UTF_8) : out;
      try (RemoteShell shell = RemoteShell.connect(url, user, password, screen, format)) {
        if (interactive) {
          return shell.interact(terminal, url);
        }
        shell.runScript(fromStdin ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : script);
        return 0;
      }
    } catch (java.sql.SQLException e) {
      logError("the connection to " + url, e);
      err.println("ERROR: " + RemoteShell.message(e) + (verbose ? "\n" + describe("", e, true) : ""));
      return 1;
    } catch (IOException | RuntimeException e) {
      logError("the connection to " + url, e);
      err.println(describe("ERROR: ", e, verbose));
      return 1;
    }
  }

  /**
   * {@code freshet server ...}: serves the engine to JDBC clients until stopped; its log goes where the shell's
   * does ({@code --verbose}: standard error).
   */
  private static int server(String[] args, PrintStream out, PrintStream err) {
    java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
    boolean verbose = rest.remove("--verbose");
    Logging.configure(verbose);
    return io.freshet.jdbc.server.FreshetServer.run(rest.toArray(new String[0]), out, err,
        session -> startUi(session, url -> {
          out.println("Web UI and /metrics at " + url);
          out.flush();
        }, err));
  }

  /**
   * Whether standard input is a terminal: {@code -Dfreshet.stdin.tty} (which bin/freshet sets from {@code test -t 0}),
   * else whether the JVM has a console.
   */
  private static boolean stdinIsTerminal() {
    String tty = System.getProperty("freshet.stdin.tty");
    return tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
  }

  /**
   * Runs the statements of standard input as they come, each once its {@code ;} has been read (so that a pipe that
   * stays open runs what it sent so far), with their lines and columns as in the input; stops at the first error.
   */
  private static void runStdin(Shell shell) {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder pending = new StringBuilder();
    int firstLine = 1;
    int lines = 0;
    try {
      String line;
      while ((line = in.readLine()) != null) {
        pending.append(line).append('\n');
        lines++;
        if (ScriptSplitter.isComplete(pending.toString())) {
          runFrom(shell, pending.toString(), firstLine);
          pending.setLength(0);
          firstLine = lines + 1;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read standard input (" + e.getMessage() + ")", e);
    }
    runFrom(shell, pending.toString(), firstLine);
  }

  /** Runs the statements of {@code text}, which starts at line {@code firstLine} of the input. */
  private static void runFrom(Shell shell, String text, int firstLine) {
    for (ScriptSplitter.Piece p : ScriptSplitter.split(text)) {
      shell.run(new ScriptSplitter.Piece(p.text(), p.line() + firstLine - 1, p.column()));
    }
  }

  /** Writes an error with its stack trace to the log (the user sees its message). */
  static void logError(String where, Throwable e) {
    org.slf4j.LoggerFactory.getLogger(Main.class).error("Error in {}: {}", where, e.getMessage(), e);
  }

  private static String banner(boolean defaults, Path log) {
    return "Freshet SQL shell. Statements end with ';' and may span lines; HELP lists them.\n"
        + (defaults ? "The Nexmark streams nexmark.bid, nexmark.auction and nexmark.person are ready, also as bid, "
            + "auction and person:\n  SELECT auction, price FROM bid WHERE price > 1000;\n" : "")
        + "Ctrl-C stops a running query; Ctrl-D or 'quit;' leaves." + (log == null ? "" : " Log: " + log) + "\n";
  }

  /** {@code prefix} and the error's message; with {@code verbose}, its stack trace too. */
  static String describe(String prefix, Throwable e, boolean verbose) {
    String message = e.getMessage() != null ? e.getMessage() : e.toString();
    if (!verbose) {
      return prefix + message;
    }
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return prefix + message + "\n" + trace;
  }

  /** Where the details of an error that is not the user's are, when they are not on the screen already. */
  private static String hint(Throwable e, Path log, boolean verbose) {
    boolean users = e instanceof FreshetException f && f.kind() == FreshetException.Kind.USER;
    return users || verbose || log == null ? "" : "\n(the stack trace is in " + log + "; --verbose prints it here)";
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

  /** Where log lines go: a file, or standard error with --verbose. */
  static final class Logging {
    private Logging() {
    }

    /**
     * Sets up slf4j-simple before any logger exists: INFO and above (Kafka's clients at WARN), to standard error
     * with {@code verbose}, else appended to {@code freshet.log} in {@code -Dfreshet.log.dir} (or the temporary
     * directory), which standard error is redirected to so that nothing a library prints reaches the screen.
     * Returns the log file, or null when logs go to standard error.
     */
    static Path configure(boolean verbose) {
      setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
      setDefault("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
      setDefault("org.slf4j.simpleLogger.showDateTime", "true");
      setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
      if (verbose) {
        return null;
      }
      String dir = System.getProperty("freshet.log.dir", System.getProperty("java.io.tmpdir"));
      try {
        Path file = Path.of(dir).toAbsolutePath().resolve("freshet.log");
        Files.createDirectories(file.getParent());
        System.setErr(new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8));
        return file;
      } catch (IOException | RuntimeException e) {
        System.err.println("freshet: cannot write the log in " + dir + " (" + e.getMessage() + "); logging to "
            + "standard error");
        return null;
      }
    }

    private static void setDefault(String key, String value) {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    }
  }
}
