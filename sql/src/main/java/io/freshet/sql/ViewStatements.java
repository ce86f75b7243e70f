package io.freshet.sql;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.sql.catalog.Catalog;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.catalog.ViewDefinition;
import io.freshet.sql.parser.FreshetParser;
import io.freshet.sql.parser.SqlCreateView;
import io.freshet.sql.parser.SqlDropView;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import io.freshet.streaming.Spelling;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * CREATE VIEW, DROP VIEW, SHOW VIEWS and DESCRIBE of a view. A view lives as long as its session, whether declared
 * TEMPORARY or not (as Flink's temporary views). Its query is validated when it is created, over the streams,
 * tables and views of that moment, and planned afresh in each query that reads it.
 */
final class ViewStatements {
  private final FreshetSession session;

  ViewStatements(FreshetSession session) {
    this.session = session;
  }

  StatementResult create(SqlCreateView c) {
    Catalog catalog = session.catalog();
    String name = c.name();
    ViewDefinition existing = catalog.view(name);
    if (c.ifNotExists && (existing != null || catalog.contains(name))) {
      return new StatementResult.Message("Exists already: " + name);
    }
    if (catalog.contains(name)) {
      TableDefinition t = catalog.getExact(name);
      throw FreshetException.user("In VIEW " + name + " (" + c.position() + "): a " + t.kind().name().toLowerCase()
          + " named '" + t.name() + "' already exists; give the view another name");
    }
    if (existing != null && !c.orReplace()) {
      throw FreshetException.user("In VIEW " + name + " (" + c.position() + "): a view named '" + existing.name()
          + "' already exists; DROP VIEW it first, or use CREATE OR REPLACE VIEW or IF NOT EXISTS");
    }
    ViewDefinition view = new ViewDefinition(name, c.columns(), c.queryText(), c.queryLine(), c.queryColumn());
    try {
      check(view, c);
    } catch (FreshetException e) {
      throw new FreshetException(e.kind(), "In VIEW " + name + " (" + c.position() + "): " + e.getMessage(), e);
    }
    catalog.addView(view, c.orReplace());
    return new StatementResult.Message("Created view " + name);
  }

  /**
   * Refuses a view that reads itself (directly or through other views, as this view would replace its namesake),
   * whose query Calcite does not validate, whose column list does not match its query, or whose columns share a
   * name.
   */
  private void check(ViewDefinition view, SqlCreateView c) {
    // A Dataset's view is no SQL to expand: the planner reads it as a table.
    ViewExpander expander = new ViewExpander(n -> n.equalsIgnoreCase(view.name()) ? view
        : session.catalog().view(n) == null || session.catalog().view(n).dataset() != null ? null
        : session.catalog().view(n));
    expander.viewsRead(c.query());
    RowSchema schema = session.validate(expander.expand(view.parse()));
    if (view.columns() != null && view.columns().size() != schema.size()) {
      throw FreshetException.user("the view names " + view.columns().size() + " columns " + view.columns() + " ("
          + c.columnsPosition() + ") but its query gives " + schema.size() + ": " + schema);
    }
    Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    List<String> names = view.columns() != null ? view.columns()
        : schema.columns().stream().map(Column::name).toList();
    for (String column : names) {
      if (!seen.add(column)) {
        throw FreshetException.user("the view would have two columns named '" + column + "'; name them apart with "
            + "AS in its query, or give the view a column list: CREATE VIEW " + view.name() + " (a, b, ...) AS ...");
      }
    }
  }

  /** DROP VIEW: queries already running go on (each planned the view's query when it started). */
  StatementResult drop(SqlDropView d) {
    Catalog catalog = session.catalog();
    ViewDefinition view = catalog.view(d.name());
    if (view == null && catalog.contains(d.name())) {
      TableDefinition t = catalog.getExact(d.name());
      throw FreshetException.user("'" + t.name() + "' is a " + t.kind().name().toLowerCase() + ", not a view; use "
          + "DROP " + t.kind().name() + " " + t.name());
    }
    if (view == null && d.ifExists) {
      return new StatementResult.Message("No " + d.name() + " to drop");
    }
    if (view == null) {
      List<String> names = catalog.views().stream().map(ViewDefinition::name).toList();
      throw FreshetException.user("No view named '" + d.name() + "'" + Spelling.didYouMean(d.name(), names)
          + (names.isEmpty() ? "; there are no views" : "; views: " + String.join(", ", names)));
    }
    catalog.removeView(view.name());
    return new StatementResult.Message("Dropped view " + view.name());
  }

  StatementResult show() {
    List<Row> rows = new ArrayList<>();
    for (ViewDefinition view : session.catalog().views()) {
      rows.add(Row.of(view.name()));
    }
    return new StatementResult.Table(List.of("view"), rows);
  }

  /** The view's columns as a query reading it would now see them. */
  StatementResult describe(ViewDefinition view) {
    RowSchema schema = session.validateReadingViews(FreshetParser.parseStatement("SELECT * FROM `"
        + view.name().replace("`", "``") + "`"));
    List<Row> rows = new ArrayList<>();
    for (Column c : schema.columns()) {
      rows.add(Row.of(c.name(), c.type().sqlName(), c.nullable()));
    }
    return new StatementResult.Table(List.of("column", "type", "nullable"), rows);
  }
}
