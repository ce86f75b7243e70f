package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code STOP QUERY name-or-id}: stops a running persistent query. */
public final class SqlStopQuery extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("STOP QUERY", SqlKind.OTHER);

  private final String nameOrId;
  private final SqlParserPos namePos;

  SqlStopQuery(SqlParserPos pos, String nameOrId, SqlParserPos namePos) {
    super(pos);
    this.nameOrId = nameOrId;
    this.namePos = namePos;
  }

  /** The query's name or its id, as written (without quotes). */
  public String nameOrId() {
    return nameOrId;
  }

  /** Where the name or id starts, {@code line L, column C}. */
  public String namePosition() {
    return FreshetParser.where(namePos);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of();
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("STOP QUERY");
    writer.identifier(nameOrId, true);
  }
}
