package io.freshet.sql.parser;

import org.apache.calcite.sql.parser.SqlParserImplFactory;

/**
 * Reads VALUE, PARTITION and OFFSET as names (the columns of the rate, file, socket and Kafka sources) where the
 * tokens around them show they cannot be keywords: VALUE is a keyword only before a parenthesis or FOR or after
 * JSON ({@code VALUE (1, 2)}, {@code NEXT VALUE FOR s}, {@code IS JSON VALUE}), PARTITION only before BY, OFFSET
 * only before a number, a {@code ?} or a parenthesis ({@code OFFSET 10 ROWS}, {@code arr[OFFSET(1)]}). Calcite's
 * grammar cannot take them as non-reserved words: {@code UPPER(value)} would read VALUE as the start of a VALUES
 * query, {@code OVER (PARTITION BY ...)} PARTITION as a window's name and {@code FROM t OFFSET 10} OFFSET as an
 * alias.
 */
final class ContextualKeywords extends FreshetSqlParserImplTokenManager {
  /** Freshet's parser: the generated one, reading its tokens through this class. */
  static final SqlParserImplFactory FACTORY = reader -> {
    FreshetSqlParserImpl parser = (FreshetSqlParserImpl) FreshetSqlParserImpl.FACTORY.getParser(reader);
    parser.ReInit(new ContextualKeywords(parser.jj_input_stream));
    return parser;
  };

  /** The token after the last one returned, read to decide what that one is; null when none is held. */
  private Token held;
  /** The kind of the last token returned. */
  private int previous = EOF;

  private ContextualKeywords(SimpleCharStream stream) {
    super(stream);
  }

  @Override
  public Token getNextToken() {
    Token token = held != null ? held : super.getNextToken();
    held = null;
    if (token.kind == VALUE || token.kind == PARTITION || token.kind == OFFSET) {
      held = super.getNextToken();
      if (!isKeyword(token.kind, previous, held.kind)) {
        token.kind = IDENTIFIER;
      }
    }
    previous = token.kind;
    return token;
  }

  private static boolean isKeyword(int kind, int previous, int next) {
    if (kind == VALUE) {
      return next == LPAREN || next == FOR || previous == JSON;
    }
    if (kind == PARTITION) {
      return next == BY;
    }
    return next == UNSIGNED_INTEGER_LITERAL || next == DECIMAL_NUMERIC_LITERAL || next == APPROX_NUMERIC_LITERAL
        || next == HOOK || next == LPAREN;
  }

  @Override
  public void ReInit(SimpleCharStream stream) {
    held = null;
    previous = EOF;
    super.ReInit(stream);
  }

  @Override
  public void ReInit(SimpleCharStream stream, int lexState) {
    held = null;
    previous = EOF;
    super.ReInit(stream, lexState);
  }
}
