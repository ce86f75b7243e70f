package io.freshet.sql.parser;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code column AS expression} among a stream's columns: a column the stream does not hold but computes for each
 * row, as in Flink; the expression is kept as written ({@link #text()}).
 */
public final class SqlComputedColumn extends SqlColumnExpression {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("COMPUTED COLUMN", SqlKind.OTHER);

  SqlComputedColumn(SqlParserPos pos, SqlIdentifier column, SqlNode expression, String text) {
    super(pos, column, expression, text);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    column().unparse(writer, 0, 0);
    writer.keyword("AS");
    expression().unparse(writer, 0, 0);
  }
}
