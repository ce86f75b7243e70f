package io.freshet.sql.catalog;

import io.freshet.planner.PlannerTable;
import io.freshet.planner.logical.DatasetView;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The session's streams and tables by name (matched ignoring case). A name is a table's own ({@code bids}) or
 * qualified by a schema ({@code nexmark.bid}: the built-in Nexmark streams live there). Reading by a plain name
 * finds the user's table first, then a table of that name in a schema, so built-in names never stand in the way
 * of the user's. Views ({@link ViewDefinition}) share the names of streams and tables: a name is one or the other.
 * Thread-safe.
 */
public final class Catalog {
  private final Map<String, TableDefinition> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final Map<String, ViewDefinition> views = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final Map<String, FunctionDefinition> functions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  public synchronized void add(TableDefinition table, boolean replace) {
    ViewDefinition view = views.get(table.name());
    if (view != null) {
      throw FreshetException.user("A view named '" + view.name() + "' already exists; DROP VIEW " + view.name()
          + " first");
    }
    TableDefinition existing = tables.get(table.name());
    if (existing != null && !replace) {
      throw FreshetException.user("A " + existing.kind().name().toLowerCase() + " named '" + existing.name()
          + "' already exists; DROP it first, or use CREATE OR REPLACE or IF NOT EXISTS");
    }
    tables.put(table.name(), table);
  }

  /** Whether a table of exactly this name (qualified or not) exists. */
  public synchronized boolean contains(String name) {
    return tables.containsKey(name);
  }

  /** The table {@code name} reads: the user's of that name, else one of that name in a schema. */
  public synchronized TableDefinition get(String name) {
    TableDefinition t = tables.get(name);
    ViewDefinition view = views.get(name);
    if (view != null) {
      throw FreshetException.user("'" + view.name() + "' is a view (a named query), not a stream or table");
    }
    if (t == null && name.indexOf('.') < 0) {
      for (TableDefinition candidate : tables.values()) {
        if (candidate.name().indexOf('.') > 0 && simpleName(candidate.name()).equalsIgnoreCase(name)) {
          return candidate;
        }
      }
    }
    if (t == null) {
      throw FreshetException.user("No stream or table named '" + name + "'"
          + Spelling.didYouMean(name, tables.keySet()) + "; known: " + String.join(", ",
          tables.keySet()));
    }
    return t;
  }

  /** The table of exactly this name, for statements that change it (DROP): a schema's is not taken by its plain name. */
  public synchronized TableDefinition getExact(String name) {
    TableDefinition t = tables.get(name);
    if (t == null) {
      String found = get(name).name();
      throw FreshetException.user("No stream or table is named exactly '" + name + "'; queries that name it read "
          + found + ": use its full name, " + found);
    }
    return t;
  }

  public synchronized TableDefinition remove(String name) {
    return tables.remove(name);
  }

  /** Every table: the user's (plain names) first, then those of schemas, each group by name. */
  public synchronized List<TableDefinition> all() {
    List<TableDefinition> all = new ArrayList<>();
    tables.values().stream().filter(t -> t.name().indexOf('.') < 0).forEach(all::add);
    tables.values().stream().filter(t -> t.name().indexOf('.') >= 0).forEach(all::add);
    return all;
  }

  /** What the planner sees: the tables that have columns (a sink table takes its columns from its first query). */
  public synchronized List<PlannerTable> plannerTables() {
    return tables.values().stream().filter(t -> t.schema() != null).map(TableDefinition::toPlannerTable).toList();
  }

  /**
   * Adds a view; a view of that name is replaced only with {@code replace}, and a stream or table of that name never.
   */
  public synchronized void addView(ViewDefinition view, boolean replace) {
    TableDefinition table = tables.get(view.name());
    if (table != null) {
      throw FreshetException.user("A " + table.kind().name().toLowerCase() + " named '" + table.name()
          + "' already exists; a view needs a name of its own");
    }
    ViewDefinition existing = views.get(view.name());
    if (existing != null && !replace) {
      throw FreshetException.user("A view named '" + existing.name() + "' already exists; DROP VIEW it first, or use "
          + "CREATE OR REPLACE VIEW or IF NOT EXISTS");
    }
    if (existing != null) {
      views.remove(existing.name());
    }
    views.put(view.name(), view);
  }

  /** The view of this name (ignoring case), or null. */
  public synchronized ViewDefinition view(String name) {
    return views.get(name);
  }

  public synchronized ViewDefinition removeView(String name) {
    return views.remove(name);
  }

  /** The views of Datasets, which the planner reads as tables (SQL views are expanded before planning). */
  public synchronized List<DatasetView> datasetViews() {
    return views.values().stream().map(ViewDefinition::dataset).filter(java.util.Objects::nonNull).toList();
  }

  /** Every view, by name. */
  public synchronized List<ViewDefinition> views() {
    return List.copyOf(views.values());
  }

  /** Adds a user-defined function, replacing one of that name (ignoring case). */
  public synchronized void addFunction(FunctionDefinition function) {
    functions.remove(function.name());
    functions.put(function.name(), function);
  }

  /** The user-defined function of this name (ignoring case), or null. */
  public synchronized FunctionDefinition function(String name) {
    return functions.get(name);
  }

  public synchronized FunctionDefinition removeFunction(String name) {
    return functions.remove(name);
  }

  /** Every user-defined function, by name. */
  public synchronized List<FunctionDefinition> functions() {
    return List.copyOf(functions.values());
  }

  /** What the planner calls: the user-defined functions. */
  public synchronized List<io.freshet.exec.expr.UserFunction> userFunctions() {
    return functions.values().stream().map(FunctionDefinition::function).toList();
  }

  private static String simpleName(String qualified) {
    return qualified.substring(qualified.indexOf('.') + 1);
  }
}
