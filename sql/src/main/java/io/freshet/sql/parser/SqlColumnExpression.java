package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * An element of a stream's column list that gives a column an expression: the watermark of an event-time column, or
 * a computed column. The expression is kept as written ({@link #text()}) too.
 */
abstract class SqlColumnExpression extends SqlCall {
  private final SqlIdentifier column;
  private final SqlNode expression;
  private final String text;

  SqlColumnExpression(SqlParserPos pos, SqlIdentifier column, SqlNode expression, String text) {
    super(pos);
    this.column = column;
    this.expression = expression;
    this.text = text;
  }

  public SqlIdentifier column() {
    return column;
  }

  public SqlNode expression() {
    return expression;
  }

  /** The expression as the statement wrote it. */
  public String text() {
    return text;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(column, expression);
  }
}
