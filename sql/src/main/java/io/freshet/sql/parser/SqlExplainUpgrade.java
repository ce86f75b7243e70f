package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code EXPLAIN UPGRADE INSERT INTO sink SELECT ...}: what the query would do with the state in the checkpoint the
 * INSERT would run on, per stateful operator, without running anything.
 */
public final class SqlExplainUpgrade extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("EXPLAIN UPGRADE", SqlKind.OTHER);

  private final SqlNode statement;

  public SqlExplainUpgrade(SqlParserPos pos, SqlNode statement) {
    super(pos);
    this.statement = statement;
  }

  /** The statement explained: an INSERT INTO (whose sink names the checkpoint), or a query. */
  public SqlNode statement() {
    return statement;
  }

  /** The INSERT explained, or null when a bare query was given. */
  public SqlInsert insert() {
    return statement instanceof SqlInsert insert ? insert : null;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(statement);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("EXPLAIN UPGRADE");
    statement.unparse(writer, leftPrec, rightPrec);
  }
}
