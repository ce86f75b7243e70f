package io.freshet.shell;

import io.freshet.sql.BuiltInStreams;
import io.freshet.sql.Dataset;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.RuntimeConfig;
import io.freshet.sql.StatementResult;
import io.freshet.sql.parser.Excerpt;
import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.StreamingQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Terminal;

/**
 * Runs statements against a session and shows their results, for scripts and for the interactive prompt. A
 * SELECT over bounded inputs prints its rows when done; a streaming SELECT shows rows as they arrive until it is
 * stopped (Ctrl-C at the prompt), and what its sources are doing when that changes (a socket source connecting,
 * refused, retrying). At the prompt, {@code SET 'result-mode'} chooses how: {@code table} (the default) shows an
 * update or complete mode result as a {@link LiveTable} that changes in place, {@code changelog} prints one line
 * per change with its kind, {@code tableau} prints rows as they come, as scripts always do. INSERT INTO starts a
 * persistent query: at the prompt it runs in the background; in a script, with {@code dml-sync} (the default), it
 * runs to its end before the next statement.
 */
final class Shell {
  /** How often a streaming SELECT's source states are looked at. */
  private static final long STATUS_POLL_MS = 200;

  private final FreshetSession session;
  private final PrintStream out;
  private final PrintStream notices;
  private final RowPrinter.Format format;
  private final boolean interactive;
  /** The terminal that a live table draws on, at the prompt; null in scripts. */
  private final Terminal terminal;
  /** INSERT queries started at the prompt, running in the background until they end or are stopped. */
  private final List<StreamingQuery> background = new CopyOnWriteArrayList<>();
  /** The queries running when the statement in progress began: Ctrl-C stops those started since. */
  private volatile Set<UUID> runningBefore = Set.of();
  /** Ctrl-C was pressed during the statement in progress. */
  private volatile boolean cancelled;

  /**
   * A shell printing results to {@code out} and what sources are doing to {@code notices} (the terminal at the
   * prompt, standard error in scripts, so that a script's output holds only results). {@code terminal} is the
   * interactive shell's terminal, or null for a script.
   */
  Shell(FreshetSession session, PrintStream out, PrintStream notices, RowPrinter.Format format, Terminal terminal) {
    this.session = session;
    this.out = out;
    this.notices = notices;
    this.format = format;
    this.terminal = terminal;
    this.interactive = terminal != null;
  }

  FreshetSession session() {
    return session;
  }

  void registerDefaults() {
    BuiltInStreams.registerNexmark(session);
  }

  /** Runs every statement of {@code script} in order; stops at the first error, which it throws. */
  void runScript(String script) {
    for (ScriptSplitter.Piece piece : ScriptSplitter.split(script)) {
      run(piece);
      if (cancelled) {
        // Ctrl-C during SOURCE 'file': the file's other statements do not run.
        return;
      }
    }
  }

  /** {@code SOURCE 'file.sql'}: the shell runs the file's statements, in order, as if they were typed. */
  private static final Pattern SOURCE = Pattern.compile("(?is)\\s*SOURCE\\s+'((?:[^']|'')*)'\\s*");

  private static String readScript(String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw FreshetException.user("SOURCE: no such file: " + Path.of(path).toAbsolutePath());
    } catch (IOException e) {
      throw FreshetException.user("SOURCE: cannot read " + path + ": " + e.getMessage());
    }
  }

  /** {@code e} with the line of {@code piece} it is about and a caret under the place, when it names one. */
  private static FreshetException withExcerpt(FreshetException e, ScriptSplitter.Piece piece) {
    String excerpt = e.position() == null ? null : Excerpt.of(piece.text(), piece.line(), piece.column(),
        e.position());
    return excerpt == null ? e : new FreshetException(e.kind(), e.getMessage() + "\n" + excerpt, e);
  }

  /** Runs one statement and shows its result. */
  void run(ScriptSplitter.Piece piece) {
    Matcher source = SOURCE.matcher(piece.text());
    if (source.matches()) {
      runScript(readScript(source.group(1).replace("''", "'")));
      return;
    }
    Set<UUID> before = new HashSet<>();
    session.streams().active().forEach(q -> before.add(q.id()));
    runningBefore = before;
    cancelled = false;
    StatementResult result;
    try {
      result = session.execute(piece.text(), piece.line(), piece.column());
    } catch (FreshetException e) {
      throw withExcerpt(e, piece);
    }
    if (result instanceof StatementResult.Message m) {
      if (interactive) {
        out.println("[INFO] " + m.text());
      }
    } else if (result instanceof StatementResult.Text t) {
      out.print(t.text());
    } else if (result instanceof StatementResult.Table t) {
      RowPrinter.printAll(out, format, false, t.columns(), t.rows());
    } else if (result instanceof StatementResult.Query q) {
      select(q.dataset());
    } else if (result instanceof StatementResult.Started s) {
      started(s.query());
    } else if (result instanceof StatementResult.Stopped s) {
      // A query that STOP QUERY stopped needs no word of its end from the watcher.
      background.removeAll(s.queries());
      if (interactive) {
        out.println("[INFO] " + s.message());
      }
    }
    out.flush();
  }

  private void started(StreamingQuery query) {
    String name = query.name() + " [id = " + query.id() + "]";
    if (cancelled) {
      query.stop();
      out.println("[INFO] Cancelled: query " + name + " was stopped");
    } else if (interactive) {
      background.add(query);
      out.println("[INFO] Started query " + name + " in the background; SHOW QUERIES lists it, STOP QUERY "
          + query.name() + " stops it");
    } else if (Boolean.parseBoolean(session.conf().get(RuntimeConfig.DML_SYNC))) {
      query.awaitTermination();
    }
  }

  private void select(Dataset dataset) {
    if (!dataset.isStreaming()) {
      List<Row> rows = dataset.collectAsList();
      if (cancelled) {
        // What a stopped query gathered is not the answer.
        out.println("[INFO] Cancelled before the query ended; no answer");
      } else {
        RowPrinter.printAll(out, format, true, dataset.columns(), rows);
      }
      return;
    }
    String resultMode = interactive ? session.conf().get(RuntimeConfig.RESULT_MODE) : "tableau";
    OutputMode mode = dataset.outputMode();
    if (resultMode.equals("table") && mode != OutputMode.APPEND && format == RowPrinter.Format.TABLE) {
      live(mode == OutputMode.COMPLETE ? dataset : dataset.withRowKinds(), mode != OutputMode.COMPLETE);
      return;
    }
    Dataset shown = resultMode.equals("changelog") ? dataset.withRowKinds() : dataset;
    RowPrinter printer = new RowPrinter(out, format, true, shown.columns());
    StreamingQuery query = shown.writeStream().foreachBatch((rows, id) -> printer.print(rows.collectAsList())).start();
    await(query, states -> {
      states.forEach(s -> notices.println("[status] " + s));
      notices.flush();
    }, printer::finish);
  }

  /** Shows a streaming SELECT as a table that changes in place; {@code changes}: its rows start with their kind. */
  private void live(Dataset dataset, boolean changes) {
    LiveTable table = new LiveTable(terminal, dataset.columns(), changes);
    StreamingQuery query = dataset.writeStream().foreachBatch((rows, id) -> table.accept(rows.collectAsList())).start();
    table.start(query);
    await(query, table::sources, table::finish);
  }

  /**
   * Waits for a streaming SELECT's query to end, telling {@code states} what its sources do when that changes; runs
   * {@code finish} when it ended, or stops it aside when the wait was given up on.
   */
  private void await(StreamingQuery query, Consumer<List<String>> states, Runnable finish) {
    if (cancelled) {
      // Ctrl-C came while the query was planned and started.
      stopAside(query);
    }
    Thread status = new Thread(() -> reportSourceStates(query, states), "freshet-shell-status");
    status.setDaemon(true);
    status.start();
    try {
      query.awaitTermination();
    } finally {
      status.interrupt();
      if (query.isActive()) {
        // The wait was given up on: the query must not print over the prompt.
        stopAside(query);
      } else {
        finish.run();
      }
    }
  }

  /** Stops a query on a thread of its own, so that the caller never waits for its batch in flight. */
  private static void stopAside(StreamingQuery query) {
    Thread stop = new Thread(query::stop, "freshet-shell-stop");
    stop.setDaemon(true);
    stop.start();
  }

  /** Tells {@code report} what the query's sources are doing each time that changes, until the query ends. */
  private static void reportSourceStates(StreamingQuery query, Consumer<List<String>> report) {
    List<String> shown = List.of();
    while (query.isActive()) {
      List<String> now = query.status().sources();
      if (!now.equals(shown) && !now.isEmpty()) {
        report.accept(now);
      }
      shown = now;
      try {
        Thread.sleep(STATUS_POLL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Stops what the statement in progress started (a streaming SELECT, the query of a bounded one), each on a thread
   * of its own so that the caller never waits; background INSERTs run on.
   */
  void cancel() {
    cancelled = true;
    Set<UUID> before = runningBefore;
    for (StreamingQuery q : session.streams().active()) {
      if (!before.contains(q.id()) && !background.contains(q)) {
        stopAside(q);
      }
    }
  }

  /** Tells {@code report} of each background query that ended since the last call: failed, or finished. */
  void reportEndedQueries(Consumer<String> report) {
    for (StreamingQuery q : background) {
      if (!q.isActive()) {
        background.remove(q);
        report.accept(q.exception() != null ? "[ERROR] " + q.exception().getMessage()
            : "[INFO] Query " + q.name() + " [id = " + q.id() + "] finished: its input ended");
      }
    }
  }

  /** The persistent queries started at the prompt that still run. */
  List<StreamingQuery> runningQueries() {
    return background.stream().filter(StreamingQuery::isActive).toList();
  }

  /** Stops the background queries (each commits its batch in flight), saying so when there are any. */
  void stopBackgroundQueries() {
    List<StreamingQuery> running = background.stream().filter(StreamingQuery::isActive).toList();
    if (!running.isEmpty()) {
      out.println("[INFO] Stopping " + running.size() + " running " + (running.size() == 1 ? "query" : "queries")
          + " (each commits its batch in flight)...");
      out.flush();
      running.forEach(StreamingQuery::stop);
    }
  }

  /** Waits for the persistent queries still running (a script's INSERTs run with dml-sync off). */
  void awaitBackgroundQueries() {
    for (StreamingQuery q : session.streams().active()) {
      q.awaitTermination();
    }
  }
}
