package io.freshet.shell;

import io.freshet.exec.connector.ConnectorRegistry;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.StatementResult;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the completer offers from a session: its streams, tables and views and their columns (asked with
 * {@code SHOW STREAMS | TABLES | VIEWS} and {@code DESCRIBE}, as a user would, of a local session or of a server
 * reached with {@code --connect}), the functions the planner runs ({@link SqlTokens#FUNCTIONS}, what {@code SHOW
 * FUNCTIONS} lists) and the options each connector on the class path declares.
 */
final class SessionNames implements SqlCompleter.Names {
  private final Function<String, List<String>> firstColumn;
  private final ConnectorRegistry connectors = ConnectorRegistry.load();

  /** The names of {@code session}. */
  SessionNames(FreshetSession session) {
    this(statement -> firstColumn(session, statement));
  }

  /**
   * The names a session shows through {@code firstColumn}, which gives the first column of what a SHOW or DESCRIBE
   * statement shows, or nothing when it cannot (a server reached over JDBC, say).
   */
  SessionNames(Function<String, List<String>> firstColumn) {
    this.firstColumn = firstColumn;
  }

  @Override
  public List<String> relations() {
    Set<String> names = new LinkedHashSet<>();
    for (String what : List.of("STREAMS", "TABLES", "VIEWS")) {
      names.addAll(firstColumn("SHOW " + what));
    }
    // The built-in streams are also read by their own names (bid for nexmark.bid) unless a user's name hides them.
    List<String> unqualified = new ArrayList<>();
    for (String name : names) {
      int dot = name.lastIndexOf('.');
      if (dot > 0 && names.stream().noneMatch(n -> n.equalsIgnoreCase(name.substring(dot + 1)))) {
        unqualified.add(name.substring(dot + 1));
      }
    }
    names.addAll(unqualified);
    return List.copyOf(names);
  }

  @Override
  public List<String> columns(String relation) {
    return firstColumn("DESCRIBE " + quoted(relation));
  }

  @Override
  public List<String> functions() {
    return SqlTokens.FUNCTIONS;
  }

  @Override
  public Map<String, List<String>> connectorOptions() {
    Map<String, List<String>> options = new TreeMap<>();
    for (String name : connectors.sourceNames()) {
      add(options, name, connectors.source(name).options());
    }
    for (String name : connectors.sinkNames()) {
      add(options, name, connectors.sink(name).options());
    }
    return options;
  }

  private static void add(Map<String, List<String>> options, String connector, List<OptionSpec> specs) {
    Set<String> keys = new LinkedHashSet<>(options.getOrDefault(connector, List.of()));
    specs.forEach(s -> keys.add(s.name()));
    options.put(connector.toLowerCase(Locale.ROOT), List.copyOf(keys));
  }

  /**
   * The first column of what {@code statement} shows, or nothing when the session does not know it (a statement
   * this version lacks, a relation that is gone): completion offers what it can.
   */
  private List<String> firstColumn(String statement) {
    return firstColumn.apply(statement);
  }

  private static List<String> firstColumn(FreshetSession session, String statement) {
    try {
      StatementResult result = session.execute(statement, 1, 1);
      if (!(result instanceof StatementResult.Table table)) {
        return List.of();
      }
      List<String> values = new ArrayList<>();
      for (Row row : table.rows()) {
        if (row.size() > 0 && row.get(0) != null) {
          values.add(row.get(0).toString());
        }
      }
      return values;
    } catch (FreshetException | IllegalArgumentException | IllegalStateException e) {
      return List.of();
    }
  }

  /** A name as a statement can hold it: each part in backquotes ({@code `nexmark`.`bid`}). */
  private static String quoted(String name) {
    StringBuilder sb = new StringBuilder();
    for (String part : name.split("\\.", -1)) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append('`').append(part.replace("`", "``")).append('`');
    }
    return sb.toString();
  }
}
