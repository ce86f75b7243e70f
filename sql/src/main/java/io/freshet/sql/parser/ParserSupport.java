package io.freshet.sql.parser;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;

/** What the grammar's actions (includes/parserImpls.ftl) call: positions, source text and the errors they throw. */
final class ParserSupport {
  /** Every word a statement starts with, for the message about an unknown one. */
  static final List<String> STATEMENT_WORDS = List.of("SELECT", "WITH", "INSERT", "VALUES", "CREATE", "DROP",
      "SHOW", "DESCRIBE", "EXPLAIN", "SET", "RESET", "STOP", "HELP");

  /** What an error at a quote that no string follows says: the lexer reads a string only once it is closed. */
  static final String UNCLOSED_STRING = "this string is not closed; end it with '";

  /** What STOP without a query's name or id says. */
  static final String SHOW_QUERY = "write SHOW QUERY followed by the query's name or id (SHOW QUERIES lists them)";
  static final String SHOW = "SHOW takes STREAMS, TABLES, VIEWS, QUERIES, QUERY name-or-id, FUNCTIONS or CONNECTORS";
  static final String STOP_QUERY = "write STOP QUERY followed by the query's name or id (SHOW QUERIES lists them)";

  private ParserSupport() { }

  static SqlParserPos pos(Token token) {
    return new SqlParserPos(token.beginLine, token.beginColumn, token.endLine, token.endColumn);
  }

  /** Whether {@code next} starts right where {@code token} ends, with no space or comment between them. */
  static boolean touches(Token token, Token next) {
    return next.beginLine == token.endLine && next.beginColumn == token.endColumn + 1;
  }

  /** The text of {@code sql} from the start of {@code first} to the end of {@code last}, as written. */
  static String text(String sql, Token first, Token last) {
    return sql.substring(offset(sql, first.beginLine, first.beginColumn), offset(sql, last.endLine, last.endColumn) + 1);
  }

  /** The index in {@code sql} of a 1-based line and column (the parser counts a tab as one column). */
  static int offset(String sql, int line, int column) {
    int index = 0;
    for (int l = 1; l < line; l++) {
      index = sql.indexOf('\n', index) + 1;
    }
    return index + column - 1;
  }

  static FreshetException error(Token at, String message) {
    return error(pos(at), at.image.equals("'") ? UNCLOSED_STRING : message);
  }

  static FreshetException error(SqlParserPos at, String message) {
    return FreshetException.user("SQL error at " + FreshetParser.where(at) + ": " + message).at(
        new FreshetException.Position(at.getLineNum(), at.getColumnNum(), at.getEndLineNum(), at.getEndColumnNum()));
  }

  static FreshetException unknownStatement(Token word) {
    return unknownStatement(word.image, word.beginLine, word.beginColumn);
  }

  /** The error for a statement whose first word, at {@code line}:{@code column}, starts no statement. */
  static FreshetException unknownStatement(String word, int line, int column) {
    return error(new SqlParserPos(line, column, line, column + word.length() - 1), "unknown statement '" + word + "'"
        + Spelling.didYouMean(word, STATEMENT_WORDS) + "; statements start with " + String.join(", ", STATEMENT_WORDS)
        + "; HELP lists them");
  }

  /** A stream or table name has one part, or a schema and a name; no part holds a dot (it would read as a schema). */
  static SqlIdentifier checkName(SqlIdentifier name) {
    if (name.isStar()) {
      throw error(name.getParserPosition(), "expected a stream or table name, not '" + name + "'");
    }
    for (int i = 0; i < name.names.size(); i++) {
      String part = name.names.get(i);
      if (part.indexOf('.') >= 0) {
        throw error(name.getComponentParserPosition(i), "a name may not contain '.' ('" + part
            + "'); a dot separates a schema from a name");
      }
    }
    if (name.names.size() > 2) {
      throw error(name.getParserPosition(), "a name has at most two parts, schema.name: '"
          + String.join(".", name.names) + "'");
    }
    return name;
  }

  /** An option's name as the user wrote it: {@code 'connector'}. */
  static String optionName(SqlNode key) {
    return "'" + optionText(key) + "'";
  }

  /** A key or value of a WITH list: the string, number, boolean or name, without quotes. */
  static String optionText(SqlNode node) {
    if (node instanceof SqlIdentifier id) {
      return id.getSimple();
    }
    if (node instanceof SqlLiteral literal) {
      Object value = literal.getValue();
      if (value instanceof org.apache.calcite.util.NlsString s) {
        return s.getValue();
      }
      return literal.toValue();
    }
    return node.toString();
  }
}
