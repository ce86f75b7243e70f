package io.freshet.sql.ddl;

import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;

/** Splits a statement into tokens, skipping comments; positions count from the statement's place in its script. */
final class Lexer {
  private Lexer() { }

  static List<Token> tokenize(String text, int firstLine, int firstColumn) {
    List<Token> tokens = new ArrayList<>();
    int line = firstLine;
    int column = firstColumn;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int startLine = line;
      int startColumn = column;
      int start = i;
      if (c == '\n') {
        line++;
        column = 1;
        i++;
        continue;
      }
      if (Character.isWhitespace(c)) {
        i++;
        column++;
        continue;
      }
      if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
        int close = text.indexOf("*/", i + 2);
        int stop = close < 0 ? text.length() : close + 2;
        for (; i < stop; i++) {
          if (text.charAt(i) == '\n') {
            line++;
            column = 1;
          } else {
            column++;
          }
        }
        continue;
      }
      Token.Kind kind;
      String value;
      if (c == '\'' || c == '`' || c == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        column++;
        boolean closed = false;
        while (i < text.length()) {
          char d = text.charAt(i);
          if (d == c) {
            if (i + 1 < text.length() && text.charAt(i + 1) == c) {
              sb.append(c);
              i += 2;
              column += 2;
              continue;
            }
            i++;
            column++;
            closed = true;
            break;
          }
          if (d == '\n') {
            line++;
            column = 1;
          } else {
            column++;
          }
          sb.append(d);
          i++;
        }
        if (!closed) {
          throw FreshetException.user("Unclosed " + (c == '\'' ? "string" : "quoted identifier") + " starting at line "
              + startLine + ", column " + startColumn);
        }
        kind = c == '\'' ? Token.Kind.STRING : Token.Kind.QUOTED;
        value = sb.toString();
      } else if (Character.isLetter(c) || c == '_') {
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
            || text.charAt(i) == '$')) {
          i++;
        }
        kind = Token.Kind.WORD;
        value = text.substring(start, i);
        column += i - start;
      } else if (Character.isDigit(c)) {
        while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
          i++;
        }
        kind = Token.Kind.NUMBER;
        value = text.substring(start, i);
        column += i - start;
      } else {
        i++;
        column++;
        kind = Token.Kind.SYMBOL;
        value = String.valueOf(c);
      }
      tokens.add(new Token(kind, value, startLine, startColumn, start, i));
    }
    tokens.add(new Token(Token.Kind.END, "", line, column, text.length(), text.length()));
    return tokens;
  }
}
