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
 * {@code column AS expression} among a stream's columns: a column the stream does not hold but computes for each
 * row, as in Flink; the expression is kept as written ({@link #text()}).
 */
public final class SqlComputedColumn extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("COMPUTED COLUMN", SqlKind.OTHER);

  private final SqlIdentifier name;
  private final SqlNode expression;
  private final String text;

  SqlComputedColumn(SqlParserPos pos, SqlIdentifier name, SqlNode expression, String text) {
    super(pos);
    this.name = name;
    this.expression = expression;
    this.text = text;
  }

  public SqlIdentifier name() {
    return name;
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
    return List.of(name, expression);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    name.unparse(writer, 0, 0);
    writer.keyword("AS");
    expression.unparse(writer, 0, 0);
  }
}
