package io.freshet.shell;

import io.freshet.planner.Functions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits statement text into tokens as the shell's highlighter and completer need them: words (keywords and names,
 * with their dots: {@code nexmark.bid}), quoted names, strings, numbers, comments, spaces and the rest. It never
 * fails: a string or comment that is not closed yet runs to the end, as it does while it is being typed.
 */
final class SqlTokens {
  /** What a token is. */
  enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, COMMENT, SPACE, OTHER }

  /**
   * One token: its kind, where it is in the text ({@code [start, end)}), and whether a string, quoted name or
   * comment is still open at the end of the text ({@code open}).
   */
  record Token(Kind kind, int start, int end, String text, boolean open) {
    /** Whether this is a word equal to {@code keyword}, ignoring case. */
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }
  }

  /**
   * The statement keywords of Freshet's SQL and those of the queries it plans, for completion and highlighting.
   */
  static final Set<String> KEYWORDS = Set.of("ADD", "ALL", "AND", "ANY", "AS", "ASC", "BETWEEN", "BIGINT",
      "BOOLEAN", "BOTH", "BY", "CASE", "CAST", "CONNECTORS", "CREATE", "CROSS", "CURRENT", "DATE", "DAY",
      "DESC", "DESCRIBE", "DESCRIPTOR", "DISTINCT", "DOUBLE", "DROP", "ELSE", "END", "ESCAPE", "EXCEPT", "EXISTS",
      "EXPLAIN", "FALSE", "FIRST", "FOR", "FROM", "FULL", "FUNCTIONS", "GROUP", "HAVING", "HELP", "HOUR", "IF", "IN",
      "INNER", "INSERT", "INT", "INTEGER", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "KEY", "LAST", "LATERAL",
      "LEADING", "LEFT", "LIKE", "LIMIT", "MILLISECOND", "MINUTE", "MONTH", "NOT", "NULL", "NULLS", "OF", "OFFSET",
      "ON", "OR", "ORDER", "OUTER", "OVER", "PARTITION", "PRIMARY", "QUERIES", "QUERY", "RANGE", "REPLACE", "RESET",
      "RIGHT", "ROW", "ROWS", "SECOND", "SELECT", "SET", "SHOW", "SOURCE", "STOP", "STREAM", "STREAMS",
      "SYSTEM_TIME", "TABLE", "TABLES", "THEN", "TIMESTAMP", "TRAILING", "TRUE", "UNION", "UNNEST", "VALUES",
      "VARCHAR", "VIEW", "VIEWS", "WATERMARK", "WHEN", "WHERE", "WITH", "YEAR");

  /**
   * The functions a query can call ({@link Functions}, which SHOW FUNCTIONS lists), with DESCRIPTOR, which window
   * table functions take, and the other spellings of two of them.
   */
  static final List<String> FUNCTIONS = functions();

  private static List<String> functions() {
    List<String> names = new ArrayList<>(Functions.names());
    names.addAll(List.of("CHARACTER_LENGTH", "DESCRIPTOR"));
    return List.copyOf(names);
  }

  private SqlTokens() {
  }

  /** Whether {@code word} is a keyword. */
  static boolean isKeyword(String word) {
    return KEYWORDS.contains(word.toUpperCase(Locale.ROOT));
  }

  /** The tokens of {@code text}, in order, covering all of it. */
  static List<Token> split(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      int start = i;
      Kind kind;
      boolean open = false;
      if (Character.isWhitespace(c)) {
        while (i < n && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        kind = Kind.SPACE;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
        kind = Kind.COMMENT;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int close = text.indexOf("*/", i + 2);
        open = close < 0;
        i = open ? n : close + 2;
        kind = Kind.COMMENT;
      } else if (c == '\'') {
        i = closing(text, i, '\'');
        open = i < 0;
        i = open ? n : i;
        kind = Kind.STRING;
      } else if (c == '`' || c == '"') {
        i = closing(text, i, c);
        open = i < 0;
        i = open ? n : i;
        kind = Kind.QUOTED_NAME;
      } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))) {
        i++;
        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
          i++;
        }
        kind = Kind.NUMBER;
      } else if (Character.isLetter(c) || c == '_' || c == '$') {
        while (i < n && isWordPart(text.charAt(i))) {
          i++;
        }
        kind = Kind.WORD;
      } else {
        i++;
        kind = Kind.OTHER;
      }
      tokens.add(new Token(kind, start, i, text.substring(start, i), open));
    }
    return tokens;
  }

  /** Whether {@code c} continues a word: letters, digits, {@code _}, {@code $} and the dot of a qualified name. */
  static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
  }

  /**
   * Where the quoted text that opens at {@code i} ends (after its closing quote; a doubled quote stays in it), or -1
   * when it is not closed.
   */
  private static int closing(String text, int i, char quote) {
    int j = i + 1;
    while (j < text.length()) {
      if (text.charAt(j) == quote) {
        if (j + 1 < text.length() && text.charAt(j + 1) == quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    return -1;
  }
}
