package io.freshet.sql.parser;

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
public final class SqlWatermark extends SqlColumnExpression {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("WATERMARK", SqlKind.OTHER);

  SqlWatermark(SqlParserPos pos, SqlIdentifier column, SqlNode expression, String text) {
    super(pos, column, expression, text);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("WATERMARK FOR");
    column().unparse(writer, 0, 0);
    writer.keyword("AS");
    expression().unparse(writer, 0, 0);
  }
}
