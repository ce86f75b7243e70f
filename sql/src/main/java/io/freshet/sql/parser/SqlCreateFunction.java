package io.freshet.sql.parser;

import java.util.List;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE [OR REPLACE] [TEMPORARY] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE JAVA]
 * [USING JAR 'path', ...]}: a user-defined scalar function, implemented by a Java class.
 */
public final class SqlCreateFunction extends SqlCreate {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE FUNCTION", SqlKind.CREATE_FUNCTION);

  private final SqlIdentifier name;
  private final String className;
  private final List<String> jars;

  SqlCreateFunction(SqlParserPos pos, boolean replace, boolean ifNotExists, SqlIdentifier name, SqlNode className,
      List<SqlNode> jars) {
    super(OPERATOR, pos, replace, ifNotExists);
    if (name.names.size() != 1) {
      throw ParserSupport.error(name.getParserPosition(), "a function's name has one part, not a schema and a name: '"
          + String.join(".", name.names) + "'");
    }
    this.name = name;
    this.className = ((SqlLiteral) className).getValueAs(String.class).trim();
    this.jars = jars.stream().map(j -> ((SqlLiteral) j).getValueAs(String.class)).toList();
  }

  public String name() {
    return name.getSimple();
  }

  /** The implementing class's binary name, e.g. {@code com.example.CountChar}. */
  public String className() {
    return className;
  }

  /** The paths of USING JAR, in order; empty when the class comes from the classpath. */
  public List<String> jars() {
    return jars;
  }

  public boolean ifNotExists() {
    return ifNotExists;
  }

  public boolean orReplace() {
    return getReplace();
  }

  /** Where the statement is, as {@code line 1, column 1}. */
  public String position() {
    return FreshetParser.where(getParserPosition());
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
    writer.keyword(getReplace() ? "CREATE OR REPLACE FUNCTION" : "CREATE FUNCTION");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    writer.keyword("AS");
    writer.literal("'" + className.replace("'", "''") + "'");
    for (int i = 0; i < jars.size(); i++) {
      writer.keyword(i == 0 ? "USING JAR" : ", JAR");
      writer.literal("'" + jars.get(i).replace("'", "''") + "'");
    }
  }
}
