package io.freshet.sql;

import io.freshet.sql.catalog.ViewDefinition;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Puts the views a query reads in front of it as a WITH clause: {@code SELECT ... FROM v} plans as {@code WITH v AS
 * (v's query) SELECT ... FROM v}, each view after the views it reads. The views' queries are planned as part of the
 * query, as subqueries are, so a view keeps its source's event-time column as a time attribute (usable in
 * {@code TUMBLE(TABLE v, DESCRIPTOR(ts), ...)}), and an error in a view's query names its place in the script that
 * created the view. The query's own WITH names hide views of the same name, as in SQL.
 */
final class ViewExpander {
  /** The view of a name (ignoring case), or null when the name is not a view's. */
  private final Function<String, ViewDefinition> views;

  ViewExpander(Function<String, ViewDefinition> views) {
    this.views = views;
  }

  /** The query with the views it reads, directly or through other views, in a WITH in front; or as it is. */
  SqlNode expand(SqlNode query) {
    List<ViewDefinition> views = viewsRead(query);
    if (views.isEmpty()) {
      return query;
    }
    List<SqlNode> items = new ArrayList<>();
    for (ViewDefinition view : views) {
      SqlWithItem item = item(view);
      canonicalize(item.query);
      items.add(item);
    }
    canonicalize(query);
    SqlParserPos pos = query.getParserPosition();
    return new SqlWith(pos, new SqlNodeList(items, pos), query);
  }

  /** Spells each view that {@code query} reads as the view is named: Calcite matches WITH names by case. */
  private void canonicalize(SqlNode query) {
    scan(query, new TreeSet<>(String.CASE_INSENSITIVE_ORDER), id -> {
      ViewDefinition view = views.apply(id.getSimple());
      if (view != null) {
        id.setNames(List.of(view.name()), null);
      }
    });
  }

  /** The view's query as a WITH item named after it, with its column names when it gives them. */
  private static SqlWithItem item(ViewDefinition view) {
    SqlNode query = view.parse();
    SqlParserPos pos = query.getParserPosition();
    SqlNodeList columns = null;
    if (view.columns() != null) {
      columns = new SqlNodeList(pos);
      for (String column : view.columns()) {
        columns.add(new SqlIdentifier(column, pos));
      }
    }
    return new SqlWithItem(pos, new SqlIdentifier(view.name(), pos), columns, query);
  }

  /**
   * The views {@code query} reads, each after those its own query reads; refused when views read each other in a
   * circle.
   */
  List<ViewDefinition> viewsRead(SqlNode query) {
    Map<String, ViewDefinition> ordered = new LinkedHashMap<>();
    for (String name : namesRead(query)) {
      visit(name, ordered, new ArrayList<>());
    }
    return List.copyOf(ordered.values());
  }

  private void visit(String name, Map<String, ViewDefinition> ordered, List<String> path) {
    ViewDefinition view = views.apply(name);
    if (view == null || ordered.containsKey(view.name().toLowerCase(Locale.ROOT))) {
      return;
    }
    for (String reader : path) {
      if (reader.equalsIgnoreCase(view.name())) {
        List<String> circle = new ArrayList<>(path.subList(path.indexOf(reader), path.size()));
        circle.add(view.name());
        throw FreshetException.user(circle.size() == 2 ? "View " + reader + " reads itself; a view reads streams, "
            + "tables and other views" : "View " + reader + " reads itself through other views ("
            + String.join(" -> ", circle) + "); CREATE OR REPLACE VIEW or DROP VIEW one of them to break the circle");
      }
    }
    path.add(view.name());
    for (String read : namesRead(view.parse())) {
      visit(read, ordered, path);
    }
    path.remove(path.size() - 1);
    ordered.put(view.name().toLowerCase(Locale.ROOT), view);
  }

  /**
   * The plain names {@code query} reads as streams, tables or views (in FROM, JOIN and {@code TABLE name}), leaving
   * out the names of its own WITH items where they are in scope.
   */
  static Set<String> namesRead(SqlNode query) {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    scan(query, new TreeSet<>(String.CASE_INSENSITIVE_ORDER), id -> names.add(id.getSimple()));
    return names;
  }

  private static void scan(SqlNode node, Set<String> hidden, Consumer<SqlIdentifier> names) {
    if (node == null) {
      return;
    }
    if (node instanceof SqlNodeList list) {
      for (SqlNode n : list) {
        scan(n, hidden, names);
      }
    } else if (node instanceof SqlWith with) {
      Set<String> inner = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      inner.addAll(hidden);
      for (SqlNode n : with.withList) {
        SqlWithItem item = (SqlWithItem) n;
        scan(item.query, inner, names);
        inner.add(item.name.getSimple());
      }
      scan(with.body, inner, names);
    } else if (node instanceof SqlSelect select) {
      from(select.getFrom(), hidden, names);
      for (SqlNode operand : select.getOperandList()) {
        if (operand != select.getFrom()) {
          scan(operand, hidden, names);
        }
      }
    } else if (node instanceof SqlCall call) {
      if (call.getKind() == SqlKind.EXPLICIT_TABLE && call.operand(0) instanceof SqlIdentifier id) {
        read(id, hidden, names);
        return;
      }
      for (SqlNode operand : call.getOperandList()) {
        scan(operand, hidden, names);
      }
    }
  }

  /** A FROM clause's item: a name, a join, a name or subquery with an alias, or a table function. */
  private static void from(SqlNode node, Set<String> hidden, Consumer<SqlIdentifier> names) {
    if (node instanceof SqlIdentifier id) {
      read(id, hidden, names);
    } else if (node instanceof SqlJoin join) {
      from(join.getLeft(), hidden, names);
      from(join.getRight(), hidden, names);
      scan(join.getCondition(), hidden, names);
    } else if (node instanceof SqlCall call && (call.getKind() == SqlKind.AS
        || call.getKind() == SqlKind.TABLESAMPLE || call.getKind() == SqlKind.SNAPSHOT)) {
      from(call.operand(0), hidden, names);
    } else {
      scan(node, hidden, names);
    }
  }

  private static void read(SqlIdentifier id, Set<String> hidden, Consumer<SqlIdentifier> names) {
    if (id.names.size() == 1 && !hidden.contains(id.getSimple())) {
      names.accept(id);
    }
  }
}
