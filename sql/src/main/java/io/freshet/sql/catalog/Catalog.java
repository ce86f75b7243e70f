package io.freshet.sql.catalog;

import io.freshet.planner.PlannerTable;
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
 * of the user's. Thread-safe.
 */
public final class Catalog {
  private final Map<String, TableDefinition> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  public synchronized void add(TableDefinition table, boolean replace) {
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

  private static String simpleName(String qualified) {
    return qualified.substring(qualified.indexOf('.') + 1);
  }
}
