package io.freshet.shell;

import io.freshet.sql.parser.ScriptSplitter;
import io.freshet.streaming.Row;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * {@code bin/freshet --connect URL}: the shell against a Freshet server ({@code bin/freshet server}), through the
 * JDBC driver ({@code jdbc:freshet:remote:url=URL}). Statements run on the server; a SELECT's rows are printed as
 * they come, and Ctrl-C cancels it. Completion and highlighting are the local shell's, with the names the server
 * shows. Without a terminal (-e, -f, or a pipe) the statements run as a script that stops at the first error.
 */
final class RemoteShell implements AutoCloseable {
  /** How often rows that came are printed. */
  private static final long PRINT_MS = 100;
  private static final Object END = new Object();

  private final Connection connection;
  private final PrintStream out;
  private final RowPrinter.Format format;
  private volatile Statement running;

  private RemoteShell(Connection connection, PrintStream out, RowPrinter.Format format) {
    this.connection = connection;
    this.out = out;
    this.format = format;
  }

  /** Connects to the server at {@code url} (http://host:port), as {@code user} when not null. */
  static RemoteShell connect(String url, String user, String password, PrintStream out, RowPrinter.Format format)
      throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
      properties.setProperty("password", password == null ? "" : password);
    }
    return new RemoteShell(DriverManager.getConnection("jdbc:freshet:remote:url=" + url, properties), out, format);
  }

  /** Runs every statement of {@code script} in order; stops at the first error, which it throws. */
  void runScript(String script) throws SQLException {
    boolean dmlSync = true;
    for (ScriptSplitter.Piece piece : ScriptSplitter.split(script)) {
      Matcher setting = DML_SYNC.matcher(piece.text());
      if (setting.matches()) {
        dmlSync = Boolean.parseBoolean(setting.group(1));
      }
      String started = execute(at(piece), false);
      if (started != null && dmlSync) {
        // As a local script does (dml-sync): the INSERT's query runs to its end before the next statement.
        awaitEnd(started);
      }
    }
  }

  private static final Pattern DML_SYNC = Pattern.compile("(?is)\\s*SET\\s+'dml-sync'\\s*=\\s*'(\\w+)'\\s*");

  /**
   * The statement of {@code piece} placed where it is in its script (lines and columns before it kept as blanks),
   * so that the server's errors give the script's line and column.
   */
  private static String at(ScriptSplitter.Piece piece) {
    return "\n".repeat(piece.line() - 1) + " ".repeat(piece.column() - 1) + piece.text();
  }

  /** Waits until the query with id {@code id} no longer runs on the server. */
  private void awaitEnd(String id) throws SQLException {
    while (firstColumnOf("SHOW QUERIES", 2).contains(id)) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for query " + id, e);
      }
    }
  }

  /** The interactive prompt, until Ctrl-D or {@code quit;}; returns the exit code. */
  int interact(Terminal terminal, String url) {
    LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("freshet")
        .parser(new SqlLineParser())
        .completer(new SqlCompleter(new SessionNames(this::firstColumn)))
        .highlighter(new SqlHighlighter())
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "     -> ")
        .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".freshet_history"))
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
    terminal.handle(Terminal.Signal.INT, signal -> cancel());
    out.println("Freshet SQL shell, connected to " + url + ". Statements run on the server; Ctrl-C stops a running "
        + "query; Ctrl-D or 'quit;' leaves.");
    while (true) {
      String line;
      try {
        line = reader.readLine("freshet@server> ");
      } catch (UserInterruptException e) {
        continue;
      } catch (EndOfFileException e) {
        return 0;
      }
      for (ScriptSplitter.Piece piece : ScriptSplitter.split(line)) {
        String text = piece.text().strip();
        if (text.equalsIgnoreCase("quit") || text.equalsIgnoreCase("exit")) {
          return 0;
        }
        try {
          execute(at(piece), true);
        } catch (SQLException e) {
          out.println("[ERROR] " + message(e));
        }
      }
    }
  }

  /**
   * Runs one statement and prints what it gives ({@code interactive}: says when it gave no rows); returns the id of
   * the query an INSERT INTO started, else null.
   */
  private String execute(String sql, boolean interactive) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      running = statement;
      if (!statement.execute(sql)) {
        if (interactive) {
          out.println("[INFO] Done");
        }
        return null;
      }
      try (ResultSet rows = statement.getResultSet()) {
        ResultSetMetaData meta = rows.getMetaData();
        if (INSERT.matcher(sql).lookingAt() && meta.getColumnCount() == 2 && meta.getColumnLabel(2).equals("id")) {
          rows.next();
          String name = rows.getString(1);
          String id = rows.getString(2);
          out.println("[INFO] Started query " + name + " [id = " + id + "] on the server");
          return id;
        }
        print(rows, TEXT.matcher(sql).lookingAt());
      }
    } catch (SQLException e) {
      if (running == null) {
        // Cancelled with Ctrl-C: the rows shown are what came before.
        out.println("[INFO] Cancelled");
        return null;
      }
      throw e;
    } finally {
      running = null;
    }
    return null;
  }

  private static final Pattern INSERT = Pattern.compile("(?is)\\s*INSERT\\b");
  /** Statements whose answer is text, one line per row: printed as it is, not as a table. */
  private static final Pattern TEXT = Pattern.compile("(?is)\\s*(EXPLAIN|HELP|SHOW\\s+QUERY)\\b");

  /** Prints the rows as they come: a text result (EXPLAIN, HELP) as its lines, others as a table. */
  private void print(ResultSet rows, boolean text) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    int width = meta.getColumnCount();
    if (text && width == 1) {
      while (rows.next()) {
        out.println(rows.getString(1));
      }
      return;
    }
    List<String> columns = new ArrayList<>();
    for (int c = 1; c <= width; c++) {
      columns.add(meta.getColumnLabel(c));
    }
    // Rows are read on a thread of their own and printed in groups, every PRINT_MS, as they came: a streaming
    // result scrolls, a bounded one is one table.
    BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try {
        while (rows.next()) {
          Object[] values = new Object[width];
          for (int c = 0; c < width; c++) {
            Object v = rows.getObject(c + 1);
            // As the local shell prints it: the wall-clock time without a zone.
            values[c] = v instanceof Timestamp t ? t.toLocalDateTime() : v;
          }
          arrived.add(Row.of(values));
        }
        arrived.add(END);
      } catch (SQLException | RuntimeException e) {
        arrived.add(e);
      }
    }, "freshet-remote-rows");
    reader.setDaemon(true);
    reader.start();
    RowPrinter printer = new RowPrinter(out, format, true, columns);
    List<Row> group = new ArrayList<>();
    while (true) {
      Object next;
      try {
        next = arrived.poll(PRINT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while reading rows", e);
      }
      if (next instanceof Row row) {
        group.add(row);
        continue;
      }
      printer.print(group);
      group.clear();
      if (next == END) {
        printer.finish();
        return;
      }
      if (next instanceof SQLException e) {
        throw e;
      }
      if (next instanceof RuntimeException e) {
        throw e;
      }
    }
  }

  /**
   * The server's own message of {@code e}, without what Avatica's remote driver puts before it ({@code Error 0
   * (42000) : Error while executing SQL "...": Remote driver error: }).
   */
  static String message(SQLException e) {
    String text = e.getMessage() == null ? e.toString() : e.getMessage();
    int at = text.indexOf(REMOTE_ERROR);
    return at < 0 ? text : text.substring(at + REMOTE_ERROR.length());
  }

  private static final String REMOTE_ERROR = "Remote driver error: ";

  /** Ctrl-C: cancels the running statement, whose query the server stops. */
  private void cancel() {
    Statement statement = running;
    running = null;
    if (statement != null) {
      try {
        statement.cancel();
      } catch (SQLException e) {
        out.println("[WARN] Could not cancel: " + e.getMessage());
      }
    }
  }

  /** The first column of what {@code statement} shows on the server, for completion; nothing when it fails. */
  private List<String> firstColumn(String statement) {
    try {
      return firstColumnOf(statement, 1);
    } catch (SQLException e) {
      return List.of();
    }
  }

  /** Column {@code column} of what {@code statement} shows on the server. */
  private List<String> firstColumnOf(String statement, int column) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(statement)) {
      while (rows.next()) {
        values.add(rows.getString(column));
      }
    }
    return values;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
