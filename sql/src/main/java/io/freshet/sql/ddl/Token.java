package io.freshet.sql.ddl;

import java.util.Locale;

/** A token of a statement, with where it starts (1-based line and column) and its span in the text. */
record Token(Kind kind, String text, int line, int column, int start, int end) {

  enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, END }

  boolean isWord(String word) {
    return kind == Kind.WORD && text.equalsIgnoreCase(word);
  }

  boolean isSymbol(String symbol) {
    return kind == Kind.SYMBOL && text.equals(symbol);
  }

  String upper() {
    return text.toUpperCase(Locale.ROOT);
  }

  String where() {
    return "line " + line + ", column " + column;
  }

  String describe() {
    return kind == Kind.END ? "the end of the statement" : "'" + text + "'";
  }
}
