package io.freshet.shell;

import io.freshet.sql.parser.ScriptSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * How the prompt's line reader reads statements: Enter on a statement that does not end with {@code ;} yet goes on
 * to a new line of the same buffer (so that a statement of many lines is one entry of the history, recalled whole),
 * and the word at the cursor, for completion, is a name with its dots ({@code nexmark.b}) or a string being typed
 * ({@code 'rowsP}).
 */
final class SqlLineParser implements Parser {

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && !isComplete(line)) {
      throw new EOFError(-1, -1, "the statement goes on until ';'", ";");
    }
    return words(line, cursor);
  }

  /**
   * Whether {@code text} can run: it ends with {@code ;} outside quotes, is blank, or is {@code quit} or
   * {@code exit} alone.
   */
  static boolean isComplete(String text) {
    String word = text.trim().toLowerCase(Locale.ROOT);
    return word.isEmpty() || word.equals("quit") || word.equals("exit") || ScriptSplitter.isComplete(text);
  }

  /** The words before the cursor, the one at it last (perhaps empty). */
  static Words words(String line, int cursor) {
    List<String> words = new ArrayList<>();
    String word = "";
    int wordCursor = 0;
    for (SqlTokens.Token token : SqlTokens.split(line)) {
      if (token.start() >= cursor) {
        break;
      }
      boolean atCursor = token.end() >= cursor;
      boolean wordLike = token.kind() == SqlTokens.Kind.WORD || token.kind() == SqlTokens.Kind.STRING
          || token.kind() == SqlTokens.Kind.QUOTED_NAME || token.kind() == SqlTokens.Kind.NUMBER;
      if (atCursor && wordLike) {
        word = token.text();
        wordCursor = cursor - token.start();
      } else if (wordLike) {
        words.add(token.text());
      }
    }
    words.add(word);
    return new Words(line, cursor, words, word, wordCursor);
  }

  /** The line split for completion; candidates replace the word at the cursor as they are, unquoted. */
  record Words(String line, int cursor, List<String> words, String word, int wordCursor)
      implements CompletingParsedLine {

    @Override
    public int wordIndex() {
      return words.size() - 1;
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate;
    }

    @Override
    public int rawWordCursor() {
      return wordCursor;
    }

    @Override
    public int rawWordLength() {
      return word.length();
    }
  }
}
