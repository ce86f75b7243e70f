package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code HELP [statement]}: what the statements are, or the syntax of one. */
public final class SqlHelp extends SqlCall {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("HELP", SqlKind.OTHER);

  private final String topic;

  SqlHelp(SqlParserPos pos, String topic) {
    super(pos);
    this.topic = topic;
  }

  /** The words after HELP in capitals, one space apart ({@code STOP QUERY}); empty for HELP alone. */
  public String topic() {
    return topic;
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
    writer.keyword("HELP");
    if (!topic.isEmpty()) {
      writer.keyword(topic);
    }
  }
}
