package io.freshet.sql.parser;

import io.freshet.planner.SqlParsers;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Freshet's SQL parser: Calcite's grammar extended with Freshet's statements (CREATE STREAM|TABLE ... WITH,
 * CREATE VIEW, DROP, SHOW, DESCRIBE, EXPLAIN, SET, RESET, STOP QUERY, HELP) and with the built-in sources' column
 * names ({@code timestamp}, {@code value}, {@code key}, {@code partition}, {@code offset}, {@code dateTime}) usable
 * unquoted. A statement is parsed where it stands in its script, so that every error names the line and column of
 * the script.
 */
public final class FreshetParser {
  /** Calcite's parser as Freshet configures it ({@link SqlParsers#CONFIG}), generating Freshet's grammar. */
  public static final SqlParser.Config CONFIG = SqlParsers.CONFIG.withParserFactory(ContextualKeywords.FACTORY);

  /** How the expected tokens name the kinds of identifier. */
  private static final String NAME = "a name";

  /** The most expected tokens a syntax error lists; past that the list rarely helps and is left out. */
  private static final int MOST_EXPECTED = 8;

  /** The token a syntax error names, in Calcite's two forms of message. */
  private static final Pattern ENCOUNTERED = Pattern.compile(
      "(?:Encountered \"((?:[^\"\\\\]|\\\\.)+)\"|near the keyword '(\\w+)') at line (\\d+), column (\\d+)");
  /** JavaCC's lexical error, which Calcite gives for a quoted name left open at the end of its line or statement. */
  private static final Pattern UNCLOSED = Pattern.compile(
      "Lexical error at line (\\d+), column (\\d+)\\.\\s+Encountered: .*after( prefix)? ?: \"(.*)\"", Pattern.DOTALL);

  private FreshetParser() { }

  /** Parses one statement (without its closing semicolon) that starts at {@code line}:{@code column}. */
  public static SqlNode parseStatement(String text, int line, int column) {
    String sql = positioned(text, line, column);
    try {
      return SqlParser.create(sql, CONFIG).parseStmt();
    } catch (SqlParseException e) {
      throw error(e, sql, line, column);
    }
  }

  public static SqlNode parseStatement(String text) {
    return parseStatement(text, 1, 1);
  }

  /** Parses an expression, such as a stream's watermark. */
  public static SqlNode parseExpression(String text) {
    try {
      return SqlParser.create(text, CONFIG).parseExpression();
    } catch (SqlParseException e) {
      throw error(e, text, 0, 0);
    }
  }

  /** {@code line L, column C}: where a node starts, as errors say it. */
  public static String where(SqlParserPos pos) {
    return "line " + pos.getLineNum() + ", column " + pos.getColumnNum();
  }

  /** {@code sql} behind blank lines and spaces, so that the parser counts positions from its place in a script. */
  private static String positioned(String sql, int line, int column) {
    return "\n".repeat(Math.max(0, line - 1)) + " ".repeat(Math.max(0, column - 1)) + sql;
  }

  /**
   * The error for a statement that does not parse: Freshet's own (thrown by the grammar's actions) as it is; a
   * statement that starts with a word no statement starts with, as unknown; a string or quoted name left open, by
   * where it starts; otherwise Calcite's message cut to its first sentence, with the expected tokens when they are
   * few and the advice to quote a reserved word where a name was expected. {@code line}:{@code column} is where
   * the statement starts.
   */
  private static FreshetException error(SqlParseException e, String sql, int line, int column) {
    FreshetException error = explained(e, sql, line, column);
    SqlParserPos pos = e.getPos();
    return error.position() != null || pos == null ? error : error.at(new FreshetException.Position(
        pos.getLineNum(), pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum()));
  }

  private static FreshetException explained(SqlParseException e, String sql, int line, int column) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FreshetException f) {
        return f;
      }
      if (t instanceof StackOverflowError) {
        return SqlParsers.tooDeep(e);
      }
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Matcher unclosed = UNCLOSED.matcher(message);
    if (unclosed.find() && unclosed.group(4).matches("[`\"].*")) {
      return unclosedName(sql, Integer.parseInt(unclosed.group(1)), Integer.parseInt(unclosed.group(2)),
          unescape(unclosed.group(4)), e);
    }
    SqlParserPos pos = e.getPos();
    String first = pos == null ? null : wordAt(sql, pos.getLineNum(), pos.getColumnNum());
    if (pos != null && pos.getLineNum() == line && pos.getColumnNum() == column && first != null
        && !ParserSupport.STATEMENT_WORDS.contains(first.toUpperCase(Locale.ROOT))) {
      FreshetException unknown = ParserSupport.unknownStatement(first, line, column);
      return FreshetException.user(unknown.getMessage(), e).at(unknown.position());
    }
    Matcher encountered = ENCOUNTERED.matcher(message);
    String token = null;
    if (encountered.find()) {
      String tokens = encountered.group(1) != null ? unescape(encountered.group(1)) : encountered.group(2);
      if (List.of(tokens.split("\\s+")).contains("'")) {
        // A quote that no string follows: the string it opens is not closed.
        int quote = sql.indexOf('\'', ParserSupport.offset(sql, Integer.parseInt(encountered.group(3)),
            Integer.parseInt(encountered.group(4))));
        return FreshetException.user("SQL error at " + where(sql, quote) + ": " + ParserSupport.UNCLOSED_STRING, e);
      }
      token = encountered.group(1) != null ? tokens.trim().split("\\s+")[0] : null;
    }
    int cut = message.indexOf("\nWas expecting");
    if (cut > 0) {
      message = message.substring(0, cut).trim();
    }
    message = "SQL parse error: " + message.replace('\n', ' ').replace("Encountered \"<EOF>\"",
        "Encountered the end of the statement");
    List<String> expected = expected(e);
    if (!expected.isEmpty() && expected.size() <= MOST_EXPECTED) {
      message = (message.endsWith(".") ? message.substring(0, message.length() - 1) : message) + "; expected "
          + (expected.size() == 1 ? expected.get(0)
              : String.join(", ", expected.subList(0, expected.size() - 1)) + " or " + expected.get(expected.size() - 1));
    }
    message += misspeltKeyword(sql, pos, token, expected);
    if (token != null && expected.contains(NAME)
        && SqlParser.create("", CONFIG).getMetadata().isReservedWord(token.toUpperCase(Locale.ROOT))) {
      message += (message.endsWith(".") ? " '" : ". '") + token + "' is a reserved word in SQL; to use it as a name, "
          + "quote it with back-ticks: `" + token + "`";
    }
    return FreshetException.user(message, e);
  }

  /** The first token of each sequence Calcite expected, as written in SQL ({@code ")"}, {@code WITH}). */
  private static List<String> expected(SqlParseException e) {
    List<String> names = new ArrayList<>();
    if (e.getExpectedTokenSequences() == null || e.getTokenImages() == null) {
      return names;
    }
    for (int[] sequence : e.getExpectedTokenSequences()) {
      if (sequence.length == 0) {
        continue;
      }
      String image = e.getTokenImages()[sequence[0]];
      String name = image.startsWith("\"") && image.endsWith("\"") && image.length() > 2
          ? quoteSymbol(image.substring(1, image.length() - 1)) : image.equals("<EOF>") ? "the end of the statement"
          : image.endsWith("IDENTIFIER>") ? NAME : image.endsWith("STRING>") || image.endsWith("STRING_LITERAL>")
          ? "a string" : image.endsWith("NUMERIC_LITERAL>") || image.endsWith("INTEGER_LITERAL>") ? "a number"
          : image;
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    // Punctuation first: a missing ')' or ',' is the likelier slip.
    names.sort(java.util.Comparator.comparing(name -> Character.isLetter(name.charAt(0)) ? 1 : 0));
    return names;
  }

  private static String quoteSymbol(String image) {
    return Character.isLetter(image.charAt(0)) ? image : "'" + image + "'";
  }

  /** The text JavaCC's lexical error shows with its escapes ({@code \n}, {@code \'}, ...) undone. */
  private static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(++i);
      switch (next) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(text.substring(i + 1, Math.min(text.length(), i + 5)), 16));
          i += 4;
        }
        default -> out.append(next);
      }
    }
    return out.toString();
  }

  /** A quoted name left open: the lexer stops at the end of its line or of the statement. */
  private static FreshetException unclosedName(String sql, int line, int column, String after,
      SqlParseException e) {
    int end = Math.min(sql.length(), ParserSupport.offset(sql, line, column));
    int start = sql.lastIndexOf(after, end);
    return FreshetException.user("SQL error at " + where(sql, start < 0 ? end : start) + ": this quoted name is not "
        + "closed; end it with " + after.charAt(0) + " on the line where it starts", e);
  }

  /** {@code line L, column C} of an index in {@code sql}. */
  private static String where(String sql, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (index - lineStart + 1);
  }

  /** The word (letters, digits, underscores) that starts at a line and column of {@code sql}, or null. */
  /** Words that start a clause, which a slip of the keyboard turns into a name (SELECT * FORM bid). */
  private static final List<String> CLAUSE_WORDS = List.of("FROM", "WHERE", "GROUP", "HAVING", "ORDER", "JOIN",
      "LIMIT", "UNION", "WINDOW", "SELECT", "VALUES", "INTO");

  /**
   * {@code " (did you mean BY?)"} when the unexpected word is a slip for a keyword that was expected, or
   * {@code "; 'FORM' reads as a name here: did you mean FROM?"} when the word before it is a slip for a clause's
   * keyword (read as an alias, it made the next word unexpected); else empty.
   */
  private static String misspeltKeyword(String sql, SqlParserPos pos, String token, List<String> expected) {
    if (token != null && token.matches("[A-Za-z_]+")) {
      String close = Spelling.closest(token, expected.stream().filter(w -> w.matches("[A-Z_]+")).toList());
      if (close != null && !close.equalsIgnoreCase(token)) {
        return " (did you mean " + close + "?)";
      }
    }
    if (pos == null) {
      return "";
    }
    int at = ParserSupport.offset(sql, pos.getLineNum(), pos.getColumnNum());
    int end = Math.min(at, sql.length());
    while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && (Character.isLetterOrDigit(sql.charAt(start - 1)) || sql.charAt(start - 1) == '_')) {
      start--;
    }
    String before = sql.substring(start, end);
    if (before.isEmpty() || CLAUSE_WORDS.contains(before.toUpperCase(Locale.ROOT))
        || SqlParser.create("", CONFIG).getMetadata().isReservedWord(before.toUpperCase(Locale.ROOT))) {
      return "";
    }
    String close = Spelling.closest(before, CLAUSE_WORDS);
    return close == null ? "" : "; '" + before + "' reads as a name here: did you mean " + close + "?";
  }

  private static String wordAt(String sql, int line, int column) {
    int start = ParserSupport.offset(sql, line, column);
    int end = start;
    while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
      end++;
    }
    return end > start && Character.isLetter(sql.charAt(start)) ? sql.substring(start, end) : null;
  }
}
