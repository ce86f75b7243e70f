package io.freshet.sql.ddl;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.SqlParsers;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Freshet's statements: {@code CREATE STREAM|TABLE ... [WITH (...)]}, {@code DROP}, {@code SHOW},
 * {@code DESCRIBE}, {@code SET}, {@code RESET}, {@code EXPLAIN}, {@code STOP QUERY}, {@code HELP}; a query
 * ({@code SELECT}, {@code WITH}, {@code INSERT}, {@code VALUES}) is handed to Calcite's parser as it stands, and
 * any other first word is refused with the closest statement word. The watermark expression is checked with Calcite's expression parser. Errors name the
 * line and column in the script.
 */
public final class StatementParser {
  private final String text;
  private final List<Token> tokens;
  private final int line;
  private final int column;
  private int pos;

  private StatementParser(String text, int line, int column) {
    this.text = text;
    this.line = line;
    this.column = column;
    this.tokens = Lexer.tokenize(text, line, column);
  }

  /** Parses one statement (without its closing semicolon) that starts at {@code line}:{@code column}. */
  public static Statement parse(String text, int line, int column) {
    return new StatementParser(text, line, column).statement();
  }

  public static Statement parse(String text) {
    return parse(text, 1, 1);
  }

  private Statement statement() {
    Token first = peek();
    if (first.isWord("CREATE")) {
      return create();
    }
    if (first.isWord("DROP")) {
      return drop();
    }
    if (first.isWord("SHOW")) {
      next();
      Token what = next();
      if (!(what.isWord("STREAMS") || what.isWord("TABLES") || what.isWord("QUERIES"))) {
        throw error(what, "SHOW takes STREAMS, TABLES or QUERIES");
      }
      end();
      return new Statement.Show(what.upper());
    }
    if (first.isWord("DESCRIBE") || first.isWord("DESC")) {
      next();
      Token where = peek();
      String name = qualifiedName("a stream or table name");
      end();
      return new Statement.Describe(name, where.where());
    }
    if (first.isWord("SET")) {
      next();
      if (peek().kind() == Token.Kind.END) {
        return new Statement.Set(null, null);
      }
      String key = keyOrValue("a setting name");
      expect("=");
      String value = keyOrValue("a value");
      end();
      return new Statement.Set(key, value);
    }
    if (first.isWord("RESET")) {
      next();
      String key = peek().kind() == Token.Kind.END ? null : keyOrValue("a setting name");
      end();
      return new Statement.Reset(key);
    }
    if (first.isWord("STOP")) {
      next();
      expectWord("QUERY");
      Token query = next();
      if (query.kind() == Token.Kind.END) {
        throw error(query, "write STOP QUERY followed by the query's name or id (SHOW QUERIES lists them)");
      }
      // An id is a UUID, which the lexer splits at its dashes: the name or id is the rest of the statement.
      Token last = query;
      while (peek().kind() != Token.Kind.END) {
        last = next();
      }
      String nameOrId = query == last && query.kind() != Token.Kind.WORD && query.kind() != Token.Kind.NUMBER
          ? query.text() : text.substring(query.start(), last.end()).trim();
      return new Statement.StopQuery(nameOrId, query.where());
    }
    if (first.isWord("HELP")) {
      next();
      StringBuilder topic = new StringBuilder();
      while (peek().kind() != Token.Kind.END) {
        topic.append(topic.length() == 0 ? "" : " ").append(next().upper());
      }
      return new Statement.Help(topic.toString());
    }
    if (first.isWord("EXPLAIN")) {
      next();
      Token rest = peek();
      if (rest.isWord("PLAN")) {
        throw error(rest, "write EXPLAIN followed by the query");
      }
      return new Statement.Explain(new Statement.Query(text.substring(rest.start()), rest.line(), rest.column()));
    }
    if (first.kind() == Token.Kind.WORD && QUERY_WORDS.stream().noneMatch(first::isWord)) {
      throw error(first, "unknown statement '" + first.text() + "'"
          + Spelling.didYouMean(first.text(), STATEMENT_WORDS) + "; statements start with "
          + String.join(", ", STATEMENT_WORDS) + "; HELP lists them");
    }
    return new Statement.Query(text, line, column);
  }

  /** The words a query handed to Calcite starts with. */
  private static final List<String> QUERY_WORDS = List.of("SELECT", "WITH", "INSERT", "VALUES", "TABLE");
  /** Every word a statement starts with, for the message about an unknown one. */
  private static final List<String> STATEMENT_WORDS = List.of("SELECT", "WITH", "INSERT", "VALUES", "CREATE", "DROP",
      "SHOW", "DESCRIBE", "EXPLAIN", "SET", "RESET", "STOP", "HELP");

  private Statement create() {
    Token create = next();
    boolean orReplace = false;
    if (peek().isWord("OR")) {
      next();
      expectWord("REPLACE");
      orReplace = true;
    }
    if (peek().isWord("TEMPORARY")) {
      next();
    }
    Statement.Kind kind = kind(next());
    boolean ifNotExists = false;
    if (peek().isWord("IF")) {
      next();
      expectWord("NOT");
      expectWord("EXISTS");
      ifNotExists = true;
    }
    Token nameToken = peek();
    String name = qualifiedName("a name for the " + kind.name().toLowerCase());
    List<Column> columns = null;
    Statement.Watermark watermark = null;
    if (peek().isSymbol("(")) {
      next();
      columns = new ArrayList<>();
      do {
        if (peek().isWord("WATERMARK")) {
          if (watermark != null) {
            throw error(peek(), "a stream has one WATERMARK");
          }
          watermark = watermark();
        } else {
          columns.add(column(columns));
        }
      } while (accept(","));
      expect(")");
      if (columns.isEmpty()) {
        throw error(nameToken, "declare at least one column");
      }
      if (watermark != null) {
        checkWatermarkColumn(watermark, columns);
      }
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (peek().isWord("WITH")) {
      next();
      expect("(");
      do {
        Token key = next();
        if (key.kind() != Token.Kind.STRING && key.kind() != Token.Kind.WORD && key.kind() != Token.Kind.QUOTED) {
          throw error(key, "expected an option name in quotes, e.g. 'connector'");
        }
        expect("=");
        Token value = next();
        if (value.kind() == Token.Kind.END || value.kind() == Token.Kind.SYMBOL) {
          throw error(value, "expected a value for option '" + key.text() + "', e.g. '" + key.text() + "' = 'value'");
        }
        if (options.put(key.text(), value.text()) != null) {
          throw error(key, "option '" + key.text() + "' is given twice");
        }
      } while (accept(","));
      expect(")");
    }
    end();
    return new Statement.CreateTable(kind, name, ifNotExists, orReplace, columns, watermark, options,
        create.where());
  }

  private Statement drop() {
    next();
    Statement.Kind kind = kind(next());
    boolean ifExists = false;
    if (peek().isWord("IF")) {
      next();
      expectWord("EXISTS");
      ifExists = true;
    }
    String name = qualifiedName("the name to drop");
    end();
    return new Statement.DropTable(kind, name, ifExists);
  }

  private Statement.Kind kind(Token t) {
    if (t.isWord("STREAM")) {
      return Statement.Kind.STREAM;
    }
    if (t.isWord("TABLE")) {
      return Statement.Kind.TABLE;
    }
    throw error(t, "expected STREAM or TABLE");
  }

  private Column column(List<Column> previous) {
    Token name = identifier("a column name");
    for (Column c : previous) {
      if (c.name().equalsIgnoreCase(name.text())) {
        throw error(name, "column '" + name.text() + "' is declared twice");
      }
    }
    Token typeToken = next();
    if (typeToken.kind() != Token.Kind.WORD) {
      throw error(typeToken, "expected the type of column '" + name.text() + "'");
    }
    String typeName = typeToken.upper();
    if (typeName.equals("DOUBLE") && peek().isWord("PRECISION")) {
      next();
    }
    if (typeName.equals("CHARACTER") && peek().isWord("VARYING")) {
      next();
    }
    TypeKind type = TypeKind.fromSqlName(typeName);
    if (type == null || typeName.equals("TIMESTAMP_LTZ")) {
      throw error(typeToken, "unknown type '" + typeToken.text() + "' for column '" + name.text()
          + "'; use BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL, VARCHAR, STRING or TIMESTAMP(3)");
    }
    if (accept("(")) {
      Token size = next();
      if (size.kind() != Token.Kind.NUMBER) {
        throw error(size, "expected a number in " + typeName + "(...)");
      }
      if (type == TypeKind.TIMESTAMP && Integer.parseInt(size.text()) > 3) {
        throw error(size, "TIMESTAMP precision is at most 3 (milliseconds)");
      }
      if (accept(",")) {
        Token scale = next();
        if (scale.kind() != Token.Kind.NUMBER) {
          throw error(scale, "expected a number for the scale of " + typeName);
        }
      }
      expect(")");
    }
    if (peek().isWord("WITH") && type == TypeKind.TIMESTAMP) {
      throw error(peek(), "TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP(3), read as UTC");
    }
    if (peek().isWord("WITHOUT")) {
      next();
      expectWord("TIME");
      expectWord("ZONE");
    }
    boolean nullable = true;
    if (peek().isWord("NOT")) {
      next();
      expectWord("NULL");
      nullable = false;
    } else if (peek().isWord("NULL")) {
      next();
    }
    return new Column(name.text(), type, nullable);
  }

  private Statement.Watermark watermark() {
    next();
    expectWord("FOR");
    Token column = identifier("the event-time column");
    expectWord("AS");
    Token first = peek();
    int depth = 0;
    Token last = null;
    while (true) {
      Token t = peek();
      if (t.kind() == Token.Kind.END || (depth == 0 && (t.isSymbol(",") || t.isSymbol(")")))) {
        break;
      }
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      }
      last = next();
    }
    if (last == null) {
      throw error(first, "expected the watermark expression, e.g. " + column.text() + " - INTERVAL '5' SECOND");
    }
    String expression = text.substring(first.start(), last.end());
    SqlParsers.parseExpression(SqlParsers.positioned(expression, first.line(), first.column()));
    return new Statement.Watermark(column.text(), expression, first.line(), first.column());
  }

  private void checkWatermarkColumn(Statement.Watermark watermark, List<Column> columns) {
    for (Column c : columns) {
      if (c.name().equalsIgnoreCase(watermark.column())) {
        if (c.type() != TypeKind.TIMESTAMP) {
          throw FreshetException.user("The watermark column '" + c.name() + "' is " + c.type().sqlName()
              + "; it must be TIMESTAMP(3)");
        }
        return;
      }
    }
    throw FreshetException.user("The watermark names column '" + watermark.column()
        + "', which is not declared; declared columns are " + columns.stream().map(Column::name).toList());
  }

  private String keyOrValue(String what) {
    Token t = next();
    if (t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.QUOTED || t.kind() == Token.Kind.NUMBER) {
      return t.text();
    }
    if (t.kind() == Token.Kind.WORD) {
      // Unquoted: take the run of words and dots, e.g. SET dml-sync = false
      StringBuilder sb = new StringBuilder(t.text());
      while (peek().kind() != Token.Kind.END && !peek().isSymbol("=") && peek().start() == tokens.get(pos - 1).end()) {
        sb.append(next().text());
      }
      return sb.toString();
    }
    throw error(t, "expected " + what);
  }

  /**
   * A name, or a schema and a name ({@code nexmark.bid}), joined by a dot; a part may not hold a dot itself (it
   * would read as a schema).
   */
  private String qualifiedName(String what) {
    StringBuilder name = new StringBuilder();
    do {
      Token part = identifier(what);
      if (part.text().indexOf('.') >= 0) {
        throw error(part, "a name may not contain '.' ('" + part.text() + "'); a dot separates a schema from a name");
      }
      name.append(name.length() == 0 ? "" : ".").append(part.text());
    } while (accept("."));
    if (name.chars().filter(c -> c == '.').count() > 1) {
      throw error(peek(), "a name has at most two parts, schema.name: '" + name + "'");
    }
    return name.toString();
  }

  private Token identifier(String what) {
    Token t = next();
    if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.QUOTED) {
      throw error(t, "expected " + what);
    }
    return t;
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.END) {
      pos++;
    }
    return t;
  }

  private boolean accept(String symbol) {
    if (peek().isSymbol(symbol)) {
      next();
      return true;
    }
    return false;
  }

  private void expect(String symbol) {
    Token t = next();
    if (!t.isSymbol(symbol)) {
      throw error(t, "expected '" + symbol + "' but found " + t.describe());
    }
  }

  private void expectWord(String word) {
    Token t = next();
    if (!t.isWord(word)) {
      throw error(t, "expected " + word + " but found " + t.describe());
    }
  }

  private void end() {
    Token t = peek();
    if (t.kind() != Token.Kind.END) {
      throw error(t, "unexpected " + t.describe() + "; the statement should end here");
    }
  }

  private static FreshetException error(Token at, String message) {
    return FreshetException.user("SQL error at " + at.where() + ": " + message);
  }
}
