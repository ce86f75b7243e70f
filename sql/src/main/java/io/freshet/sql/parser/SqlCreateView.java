package io.freshet.sql.parser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code CREATE [OR REPLACE] [TEMPORARY] VIEW [IF NOT EXISTS] name [(column, ...)] AS query}. Besides the parsed
 * query it keeps the query's text and where it starts in the script, from which each use of the view parses it
 * again (validation rewrites the nodes it is given, so a view cannot share one tree between queries).
 */
public final class SqlCreateView extends SqlCreate {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE VIEW", SqlKind.CREATE_VIEW);

  private final SqlIdentifier name;
  /** The column names given after the view's name, or null. */
  private final SqlNodeList columnList;
  private final SqlNode query;
  private final String queryText;
  private final SqlParserPos queryPos;
  private final List<String> columns;

  SqlCreateView(SqlParserPos pos, boolean replace, boolean ifNotExists, SqlIdentifier name, SqlNodeList columnList,
      SqlNode query, String queryText, SqlParserPos queryPos) {
    super(OPERATOR, pos, replace, ifNotExists);
    if (name.names.size() != 1) {
      throw ParserSupport.error(name.getParserPosition(), "a view's name has one part, not a schema and a name: '"
          + String.join(".", name.names) + "'");
    }
    this.name = name;
    this.columnList = columnList;
    this.query = query;
    this.queryText = queryText;
    this.queryPos = queryPos;
    this.columns = columnList == null ? null : columns(columnList);
  }

  private static List<String> columns(SqlNodeList columnList) {
    List<String> names = new ArrayList<>();
    for (SqlNode node : columnList) {
      SqlIdentifier column = (SqlIdentifier) node;
      String columnName = column.getSimple();
      if (names.stream().anyMatch(n -> n.equalsIgnoreCase(columnName))) {
        throw ParserSupport.error(column.getParserPosition(), "column '" + columnName + "' is named twice");
      }
      names.add(columnName);
    }
    return Collections.unmodifiableList(names);
  }

  public String name() {
    return name.getSimple();
  }

  public boolean orReplace() {
    return getReplace();
  }

  /** The names the view gives its columns, or null to keep those of its query. */
  public List<String> columns() {
    return columns;
  }

  /** Where the column list stands, for errors about it. */
  public String columnsPosition() {
    return FreshetParser.where(columnList == null ? getParserPosition() : columnList.getParserPosition());
  }

  public SqlNode query() {
    return query;
  }

  /** The query as written. */
  public String queryText() {
    return queryText;
  }

  /** The line of the script where the query starts. */
  public int queryLine() {
    return queryPos.getLineNum();
  }

  /** The column of that line where the query starts. */
  public int queryColumn() {
    return queryPos.getColumnNum();
  }

  /** Where the statement starts, {@code line L, column C}. */
  public String position() {
    return FreshetParser.where(getParserPosition());
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, columnList, query);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword("VIEW");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    if (columnList != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode column : columnList) {
        writer.sep(",");
        column.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    writer.keyword("AS");
    query.unparse(writer, 0, 0);
  }
}
