package io.freshet.sql.catalog;

import io.freshet.sql.parser.FreshetParser;
import io.freshet.planner.logical.DatasetView;
import java.util.List;
import org.apache.calcite.sql.SqlNode;

/**
 * A view: a named query, kept as written with where it starts in the script that created it, and the names it
 * gives its columns (null to keep the query's). It is not planned on its own: each query that reads it plans the
 * view's query in its place, reading the streams and views it names as they are then (so a view keeps its
 * source's event time, and sees a stream or view replaced after it was created).
 */
public record ViewDefinition(String name, List<String> columns, String query, int line, int column,
    DatasetView dataset) {

  public ViewDefinition {
    columns = columns == null ? null : List.copyOf(columns);
  }

  /** A view of SQL text. */
  public ViewDefinition(String name, List<String> columns, String query, int line, int column) {
    this(name, columns, query, line, column, null);
  }

  /**
   * A temporary view of a Dataset built with the Java API ({@code createOrReplaceTempView}): the planner reads it
   * as a table whose plan is the Dataset's; it has no SQL text ({@link #parse} is not for it).
   */
  public static ViewDefinition of(DatasetView dataset) {
    return new ViewDefinition(dataset.name(), null, null, 0, 0, dataset);
  }

  /** The query parsed afresh, with its positions in the script that created the view. */
  public SqlNode parse() {
    return FreshetParser.parseStatement(query, line, column);
  }

  /** Where the view's query starts, for messages: {@code line L, column C}. */
  public String position() {
    return "line " + line + ", column " + column;
  }
}
