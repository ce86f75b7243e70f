package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code PRIMARY KEY (column, ...) [NOT ENFORCED]} among a stream's columns (or {@code PRIMARY KEY} after one
 * column): each row of the stream is the version of its key from its event time on, so that a temporal join can
 * look the versions up. Freshet, like Flink, does not own the data and does not check that keys are unique.
 */
public final class SqlPrimaryKey extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("PRIMARY KEY", SqlKind.PRIMARY_KEY);

  private final SqlNodeList columns;

  SqlPrimaryKey(SqlParserPos pos, SqlNodeList columns) {
    super(pos);
    this.columns = columns;
  }

  public SqlNodeList columns() {
    return columns;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(columns);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("PRIMARY KEY");
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode column : columns) {
      writer.sep(",");
      column.unparse(writer, 0, 0);
    }
    writer.endList(frame);
    writer.keyword("NOT ENFORCED");
  }
}
