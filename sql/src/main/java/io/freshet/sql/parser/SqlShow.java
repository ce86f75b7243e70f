package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code SHOW STREAMS}, {@code SHOW TABLES}, {@code SHOW VIEWS}, {@code SHOW QUERIES}, or {@code SET} alone, which
 * lists the settings.
 */
public final class SqlShow extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("SHOW", SqlKind.OTHER);

  /** What is listed. */
  public enum What { STREAMS, TABLES, VIEWS, QUERIES, SETTINGS }

  private final What what;

  SqlShow(SqlParserPos pos, What what) {
    super(pos);
    this.what = what;
  }

  public What what() {
    return what;
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
    if (what == What.SETTINGS) {
      writer.keyword("SET");
    } else {
      writer.keyword("SHOW");
      writer.keyword(what.name());
    }
  }
}
