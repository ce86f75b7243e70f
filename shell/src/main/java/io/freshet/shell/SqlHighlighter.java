package io.freshet.shell;

import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours the statement being typed: keywords bold blue, strings green, numbers cyan, comments grey, function names
 * yellow, the rest as it is.
 */
final class SqlHighlighter implements Highlighter {
  private static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
  private static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
  private static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
  private static final AttributedStyle COMMENT = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT)
      .italic();
  private static final AttributedStyle FUNCTION = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);

  @Override
  public AttributedString highlight(LineReader reader, String buffer) {
    return highlight(buffer);
  }

  /** {@code buffer} with its tokens' styles. */
  static AttributedString highlight(String buffer) {
    AttributedStringBuilder sb = new AttributedStringBuilder();
    for (SqlTokens.Token token : SqlTokens.split(buffer)) {
      sb.styled(style(token), token.text());
    }
    return sb.toAttributedString();
  }

  private static AttributedStyle style(SqlTokens.Token token) {
    switch (token.kind()) {
      case WORD:
        if (SqlTokens.isKeyword(token.text())) {
          return KEYWORD;
        }
        return SqlTokens.FUNCTIONS.contains(token.text().toUpperCase(java.util.Locale.ROOT)) ? FUNCTION
            : AttributedStyle.DEFAULT;
      case STRING:
        return STRING;
      case NUMBER:
        return NUMBER;
      case COMMENT:
        return COMMENT;
      default:
        return AttributedStyle.DEFAULT;
    }
  }
}
