package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code WATERMARK FOR column AS expression} among a stream's columns: the column is its event time, the
 * expression (as written, {@link #text()}) its watermark.
 */
public final class SqlWatermark extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("WATERMARK", SqlKind.OTHER);

  private final SqlIdentifier column;
  private final SqlNode expression;
  private final String text;

  SqlWatermark(SqlParserPos pos, SqlIdentifier column, SqlNode expression, String text) {
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
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(column, expression);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("WATERMARK FOR");
    column.unparse(writer, 0, 0);
    writer.keyword("AS");
    expression.unparse(writer, 0, 0);
  }
}
