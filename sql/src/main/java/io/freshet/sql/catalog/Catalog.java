package io.freshet.sql.catalog;

import io.freshet.planner.PlannerTable;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The session's streams and tables by name (matched ignoring case). Thread-safe. */
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

  public synchronized boolean contains(String name) {
    return tables.containsKey(name);
  }

  public synchronized TableDefinition get(String name) {
    TableDefinition t = tables.get(name);
    if (t == null) {
      throw FreshetException.user("No stream or table named '" + name + "'; known: " + String.join(", ",
          tables.keySet()));
    }
    return t;
  }

  public synchronized TableDefinition remove(String name) {
    return tables.remove(name);
  }

  public synchronized List<TableDefinition> all() {
    return new ArrayList<>(tables.values());
  }

  public synchronized List<PlannerTable> plannerTables() {
    return tables.values().stream().map(TableDefinition::toPlannerTable).toList();
  }
}
