package io.freshet.sql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a script into statements at semicolons outside quotes and comments, keeping where each starts so that
 * errors point into the script.
 */
public final class ScriptSplitter {

  /** One statement of a script, without its semicolon. */
  public record Piece(String text, int line, int column) { }

  private ScriptSplitter() { }

  public static List<Piece> split(String script) {
    List<Piece> pieces = new ArrayList<>();
    int line = 1;
    int column = 1;
    int start = 0;
    int startLine = 1;
    int startColumn = 1;
    boolean started = false;
    char quote = 0;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (quote == 0 && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        while (i < script.length() && script.charAt(i) != '\n') {
          i++;
        }
        if (i < script.length()) {
          line++;
          column = 1;
        }
        continue;
      }
      if (!started && !Character.isWhitespace(c)) {
        started = true;
        start = i;
        startLine = line;
        startColumn = column;
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '`' || c == '"') {
        quote = c;
      } else if (c == ';') {
        if (started) {
          String text = script.substring(start, i).strip();
          if (!text.isEmpty()) {
            pieces.add(new Piece(text, startLine, startColumn));
          }
        }
        started = false;
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    if (started) {
      String text = script.substring(start).strip();
      if (!text.isEmpty()) {
        pieces.add(new Piece(text, startLine, startColumn));
      }
    }
    return pieces;
  }

  /** Whether {@code text} ends a statement: its last significant character is a semicolon outside quotes. */
  public static boolean isComplete(String text) {
    char quote = 0;
    char last = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == 0 && c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '`' || c == '"') {
        quote = c;
      }
      if (!Character.isWhitespace(c)) {
        last = c;
      }
    }
    return quote == 0 && last == ';';
  }
}
