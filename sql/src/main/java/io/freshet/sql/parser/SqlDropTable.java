package io.freshet.sql.parser;

import io.freshet.sql.catalog.TableKind;
import java.util.List;
import org.apache.calcite.sql.SqlDrop;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** {@code DROP STREAM|TABLE [IF EXISTS] name}. */
public final class SqlDropTable extends SqlDrop {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("DROP STREAM OR TABLE", SqlKind.DROP_TABLE);

  private final TableKind kind;
  private final SqlIdentifier name;

  SqlDropTable(SqlParserPos pos, TableKind kind, boolean ifExists, SqlIdentifier name) {
    super(OPERATOR, pos, ifExists);
    this.kind = kind;
    this.name = name;
  }

  public TableKind kind() {
    return kind;
  }

  /** The name as written, a schema and a name joined by a dot. */
  public String name() {
    return String.join(".", name.names);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(name);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("DROP");
    writer.keyword(kind.name());
    if (ifExists) {
      writer.keyword("IF EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
  }
}
