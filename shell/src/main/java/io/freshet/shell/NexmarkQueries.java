package io.freshet.shell;

import io.freshet.sql.Dataset;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.parser.ScriptSplitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The Nexmark queries of {@code bench/nexmark/}: which there are, and one planned in a session of its own over the
 * generator declared by {@code ddl.sql}, whose {@code ${name}} places take the run's values.
 */
final class NexmarkQueries {
  private final Path directory;

  NexmarkQueries(Path home) {
    this.directory = home.resolve("bench").resolve("nexmark");
  }

  Path directory() {
    return directory;
  }

  /** The queries there are, in their numbers' order. */
  List<String> available() throws IOException {
    try (var files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("q\\d+\\.sql"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring(1)))).toList();
    }
  }

  /** A query planned in its own session, ready to start; closing it closes the session. */
  record Planned(FreshetSession session, Dataset query) implements AutoCloseable {
    @Override
    public void close() {
      session.close();
    }
  }

  /**
   * Query {@code name} planned (not started) in a new session of {@code parallelism} partitions, after ddl.sql with
   * {@code values} in its {@code ${...}} places (and in the query file's; {@code ${nexmark}} is the queries' directory).
   */
  Planned plan(String name, Map<String, String> values, int parallelism) throws IOException {
    Path file = directory.resolve(name + ".sql");
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("No query " + name + " in " + directory + "; there are " + available());
    }
    values = new java.util.HashMap<>(values);
    // q13's side input lies beside the queries.
    values.put("nexmark", directory.toAbsolutePath().normalize().toString());
    String ddl = substitute(Files.readString(directory.resolve("ddl.sql")), values);
    FreshetSession session = FreshetSession.builder().master("local[" + parallelism + "]")
        .appName("nexmark-" + name).create();
    try {
      for (ScriptSplitter.Piece statement : ScriptSplitter.split(ddl)) {
        session.sql(statement.text());
      }
      // A query file may declare what its query needs first (a function, a table): its last statement is the query.
      List<ScriptSplitter.Piece> statements = ScriptSplitter.split(substitute(Files.readString(file), values));
      for (ScriptSplitter.Piece statement : statements.subList(0, statements.size() - 1)) {
        session.sql(statement.text());
      }
      return new Planned(session, session.sql(statements.get(statements.size() - 1).text()));
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private static String substitute(String text, Map<String, String> values) {
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace("${" + value.getKey() + "}", value.getValue());
    }
    return text;
  }
}
