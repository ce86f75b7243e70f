package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Flink's text functions that pick a piece out of a string or render a timestamp as one: SPLIT_INDEX,
 * REGEXP_EXTRACT and DATE_FORMAT. Each gives VARCHAR, and NULL when an argument is NULL or there is no piece to
 * give. The regular expression and the date format must be literals; they are compiled once, when the kernel is
 * built, so a bad one is refused before any row is read.
 */
final class ExtractKernel implements VectorExpr {
  private final Op op;
  private final List<VectorExpr> args;
  private final Pattern regex;
  private final DateTimeFormatter format;

  /**
   * The kernel of {@code op} over {@code args}: SPLIT_INDEX (text, separator, BIGINT index), REGEXP_EXTRACT
   * (text, literal regex, BIGINT group) or DATE_FORMAT (TIMESTAMP, literal format).
   */
  ExtractKernel(Op op, List<VectorExpr> args) {
    this.op = op;
    this.args = args;
    this.regex = op == Op.REGEXP_EXTRACT ? compileRegex(literal(args.get(1), "REGEXP_EXTRACT", "regular expression",
        "REGEXP_EXTRACT(text, '([0-9]+)', 1)")) : null;
    this.format = op == Op.DATE_FORMAT ? compileFormat(literal(args.get(1), "DATE_FORMAT", "format",
        "DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm')")) : null;
  }

  private static String literal(VectorExpr e, String function, String what, String example) {
    if (e instanceof ConstantKernel c && c.value() instanceof String s) {
      return s;
    }
    throw FreshetException.user(function + " needs its " + what + " as a string literal, e.g. " + example);
  }

  private static Pattern compileRegex(String pattern) {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw FreshetException.user("REGEXP_EXTRACT: '" + pattern + "' is not a valid Java regular expression: "
          + e.getDescription() + " near index " + e.getIndex());
    }
  }

  private static DateTimeFormatter compileFormat(String pattern) {
    try {
      DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern);
      // Fields a zone-less timestamp lacks (week-based fields are fine, an era name too) fail here, not per row.
      formatter.format(Instant.EPOCH.atZone(ZoneOffset.UTC));
      return formatter;
    } catch (IllegalArgumentException | DateTimeException e) {
      throw FreshetException.user("DATE_FORMAT: '" + pattern + "' is not a valid date format (" + e.getMessage()
          + "); use Java's pattern letters, e.g. 'yyyy-MM-dd HH:mm:ss'");
    }
  }

  @Override
  public TypeKind type() {
    return TypeKind.VARCHAR;
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    return Arguments.evaluate(args, ctx, TypeKind.VARCHAR, (in, vector, n) -> {
      VarCharVector out = (VarCharVector) vector;
      for (int i = 0; i < n; i++) {
        String piece = Arguments.allValid(args, in, i) ? piece(in, i) : null;
        if (piece == null) {
          out.setNull(i);
        } else {
          out.setSafe(i, piece.getBytes(StandardCharsets.UTF_8));
        }
      }
    });
  }

  private String piece(FieldVector[] in, int i) {
    return switch (op) {
      case SPLIT_INDEX -> splitIndex(text(in, 0, i), text(in, 1, i), number(in, 2, i));
      case REGEXP_EXTRACT -> regexpExtract(regex, text(in, 0, i), in.length > 2 ? number(in, 2, i) : 0);
      case DATE_FORMAT -> format.format(Instant.ofEpochMilli(number(in, 0, i)).atZone(ZoneOffset.UTC));
      default -> throw new IllegalStateException(op.toString());
    };
  }

  /**
   * The {@code index}-th (from 0) piece of {@code text} cut at every {@code separator}, keeping empty pieces; an
   * empty separator cuts at every whitespace character. Null when the index is out of range or the text empty.
   */
  static String splitIndex(String text, String separator, long index) {
    if (index < 0 || text.isEmpty()) {
      return null;
    }
    int start = 0;
    for (long k = 0; k < index; k++) {
      int cut = separator.isEmpty() ? nextWhitespace(text, start) : text.indexOf(separator, start);
      if (cut < 0) {
        return null;
      }
      start = cut + Math.max(separator.length(), 1);
    }
    int end = separator.isEmpty() ? nextWhitespace(text, start) : text.indexOf(separator, start);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  private static int nextWhitespace(String text, int from) {
    for (int k = from; k < text.length(); k++) {
      if (Character.isWhitespace(text.charAt(k))) {
        return k;
      }
    }
    return -1;
  }

  /** Group {@code group} (0: the whole match) of the first match of {@code regex}, or null. */
  static String regexpExtract(Pattern regex, String text, long group) {
    Matcher m = regex.matcher(text);
    if (!m.find() || group < 0 || group > m.groupCount()) {
      return null;
    }
    return m.group((int) group);
  }

  private int row(int arg, int i) {
    return Arguments.row(args, arg, i);
  }

  private String text(FieldVector[] in, int arg, int i) {
    return new String(((VarCharVector) in[arg]).get(row(arg, i)), StandardCharsets.UTF_8);
  }

  private long number(FieldVector[] in, int arg, int i) {
    return Vectors.readLong(Vectors.data(in[arg]), args.get(arg).type().width(), row(arg, i));
  }
}
