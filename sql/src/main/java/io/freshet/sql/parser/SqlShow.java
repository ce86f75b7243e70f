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
 * {@code SHOW STREAMS | TABLES | VIEWS | QUERIES | FUNCTIONS | CONNECTORS}, {@code SHOW QUERY name-or-id}, or
 * {@code SET} alone, which lists the settings.
 */
public final class SqlShow extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("SHOW", SqlKind.OTHER);

  /** What is listed. */
  public enum What { STREAMS, TABLES, VIEWS, QUERIES, QUERY, FUNCTIONS, CONNECTORS, SETTINGS }

  private final What what;
  /** The query's name or id for {@link What#QUERY}, else null. */
  private final String target;
  private final SqlParserPos targetPos;

  SqlShow(SqlParserPos pos, What what) {
    this(pos, what, null, null);
  }

  SqlShow(SqlParserPos pos, What what, String target, SqlParserPos targetPos) {
    super(pos);
    this.what = what;
    this.target = target;
    this.targetPos = targetPos;
  }

  public What what() {
    return what;
  }

  /** The name or id of the query {@code SHOW QUERY} shows. */
  public String target() {
    return target;
  }

  /** Where the name or id is, {@code line L, column C}. */
  public String targetPosition() {
    return FreshetParser.where(targetPos);
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
      if (target != null) {
        writer.identifier(target, true);
      }
    }
  }
}
