package io.freshet.exec.expr;

import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * String functions over VARCHAR vectors: UPPER, LOWER, TRIM, SUBSTRING, CHAR_LENGTH, {@code ||} and LIKE.
 * They work on the UTF-8 bytes in the buffers; ASCII text never becomes a Java String. Positions and lengths
 * count characters (code points), as SQL does. NULL in gives NULL out.
 */
final class StringKernel implements VectorExpr {
  private final Op op;
  private final List<VectorExpr> args;
  private final TypeKind type;
  private final LikePattern like;

  StringKernel(Op op, List<VectorExpr> args, TypeKind type) {
    this.op = op;
    this.args = args;
    this.type = type;
    this.like = op == Op.LIKE ? LikePattern.compile(literalText(args.get(1), "LIKE pattern"),
        args.size() > 2 ? literalText(args.get(2), "LIKE escape") : null) : null;
  }

  private static String literalText(VectorExpr e, String what) {
    if (e instanceof ConstantKernel c && c.value() instanceof String s) {
      return s;
    }
    throw io.freshet.streaming.FreshetException.user(what + " must be a string literal");
  }

  @Override
  public TypeKind type() {
    return type;
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    return Arguments.evaluate(args, ctx, type, (in, out, n) -> {
      Text text = new Text();
      byte[] scratch = new byte[64];
      for (int i = 0; i < n; i++) {
        if (!Arguments.allValid(args, in, i)) {
          if (out instanceof VarCharVector s) {
            s.setNull(i);
          }
          continue;
        }
        int stringArg = op == Op.TRIM_BOTH || op == Op.TRIM_LEADING || op == Op.TRIM_TRAILING ? 1 : 0;
        VarCharVector s = (VarCharVector) in[stringArg];
        text.point(s, row(stringArg, i));
        switch (op) {
          case CHAR_LENGTH -> {
            Vectors.setBit(Vectors.validity(out), i);
            MemoryUtil.putInt(Vectors.data(out) + 4L * i, text.codePoints());
          }
          case LIKE -> {
            Vectors.setBit(Vectors.validity(out), i);
            if (like.matches(text)) {
              Vectors.setBit(Vectors.data(out), i);
            }
          }
          case UPPER, LOWER -> {
            scratch = ensure(scratch, text.length * 3);
            if (text.isAscii()) {
              for (int k = 0; k < text.length; k++) {
                byte c = MemoryUtil.getByte(text.address + k);
                if (op == Op.UPPER && c >= 'a' && c <= 'z') {
                  c -= 32;
                } else if (op == Op.LOWER && c >= 'A' && c <= 'Z') {
                  c += 32;
                }
                scratch[k] = c;
              }
              ((VarCharVector) out).setSafe(i, scratch, 0, text.length);
            } else {
              String t = text.string();
              ((VarCharVector) out).setSafe(i, (op == Op.UPPER ? t.toUpperCase(Locale.ROOT)
                  : t.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            }
          }
          case TRIM_BOTH, TRIM_LEADING, TRIM_TRAILING -> {
            String chars = ((ConstantKernel) args.get(0)).value().toString();
            int start = 0;
            int end = text.length;
            if (chars.length() == 1 && chars.charAt(0) < 0x80) {
              byte c = (byte) chars.charAt(0);
              if (op != Op.TRIM_TRAILING) {
                while (start < end && MemoryUtil.getByte(text.address + start) == c) {
                  start++;
                }
              }
              if (op != Op.TRIM_LEADING) {
                while (end > start && MemoryUtil.getByte(text.address + end - 1) == c) {
                  end--;
                }
              }
              ((VarCharVector) out).setSafe(i, start + text.start, end - start, s.getDataBuffer());
            } else {
              String t = text.string();
              int a = 0;
              int b = t.length();
              if (op != Op.TRIM_TRAILING) {
                while (a < b && chars.indexOf(t.charAt(a)) >= 0) {
                  a++;
                }
              }
              if (op != Op.TRIM_LEADING) {
                while (b > a && chars.indexOf(t.charAt(b - 1)) >= 0) {
                  b--;
                }
              }
              ((VarCharVector) out).setSafe(i, t.substring(a, b).getBytes(StandardCharsets.UTF_8));
            }
          }
          case SUBSTRING -> substring(text, in, i, (VarCharVector) out, s);
          case CONCAT -> {
            Text second = new Text();
            second.point((VarCharVector) in[1], row(1, i));
            int total = text.length + second.length;
            scratch = ensure(scratch, total);
            MemoryUtil.copyFromMemory(text.address, scratch, 0, text.length);
            MemoryUtil.copyFromMemory(second.address, scratch, text.length, second.length);
            ((VarCharVector) out).setSafe(i, scratch, 0, total);
          }
          default -> throw new IllegalStateException(op.toString());
        }
      }
    });
  }

  private int row(int arg, int i) {
    return Arguments.row(args, arg, i);
  }

  private void substring(Text text, FieldVector[] in, int i, VarCharVector out, VarCharVector s) {
    long start = Vectors.readLong(Vectors.data(in[1]), args.get(1).type().width(), row(1, i));
    long length = in.length > 2 ? Vectors.readLong(Vectors.data(in[2]), args.get(2).type().width(), row(2, i))
        : Long.MAX_VALUE;
    // SQL: characters from position start (1-based; 0 and negatives count from before the first) for length.
    long from = start;
    long to = length == Long.MAX_VALUE ? Long.MAX_VALUE : start + Math.max(length, 0);
    from = Math.max(from, 1);
    if (to <= from) {
      out.setSafe(i, new byte[0]);
      return;
    }
    if (text.isAscii()) {
      long a = Math.min(from - 1, text.length);
      long b = Math.min(to - 1, text.length);
      out.setSafe(i, text.start + (int) a, (int) (b - a), s.getDataBuffer());
    } else {
      String t = text.string();
      int cps = t.codePointCount(0, t.length());
      int a = (int) Math.min(from - 1, cps);
      int b = (int) Math.min(to - 1, cps);
      out.setSafe(i, t.substring(t.offsetByCodePoints(0, a), t.offsetByCodePoints(0, b))
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static byte[] ensure(byte[] scratch, int size) {
    return scratch.length >= size ? scratch : new byte[Math.max(size, scratch.length * 2)];
  }

  /** A window onto one string of a VARCHAR vector. */
  static final class Text {
    long address;
    int start;
    int length;

    void point(VarCharVector v, int row) {
      long offsets = v.getOffsetBufferAddress();
      start = Vectors.stringStart(offsets, row);
      length = Vectors.stringEnd(offsets, row) - start;
      address = v.getDataBufferAddress() + start;
    }

    boolean isAscii() {
      for (int k = 0; k < length; k++) {
        if (MemoryUtil.getByte(address + k) < 0) {
          return false;
        }
      }
      return true;
    }

    int codePoints() {
      int count = 0;
      for (int k = 0; k < length; k++) {
        if ((MemoryUtil.getByte(address + k) & 0xC0) != 0x80) {
          count++;
        }
      }
      return count;
    }

    String string() {
      byte[] bytes = new byte[length];
      MemoryUtil.copyFromMemory(address, bytes, 0, length);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    boolean startsWith(byte[] p, int at) {
      if (at < 0 || at + p.length > length) {
        return false;
      }
      for (int k = 0; k < p.length; k++) {
        if (MemoryUtil.getByte(address + at + k) != p[k]) {
          return false;
        }
      }
      return true;
    }

    boolean contains(byte[] p) {
      for (int at = 0; at + p.length <= length; at++) {
        if (startsWith(p, at)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A compiled LIKE pattern: plain byte tests for {@code abc}, {@code abc%}, {@code %abc}, {@code %abc%}. */
  static final class LikePattern {
    private enum Shape { EXACT, PREFIX, SUFFIX, CONTAINS, REGEX }

    private final Shape shape;
    private final byte[] literal;
    private final Pattern regex;

    private LikePattern(Shape shape, byte[] literal, Pattern regex) {
      this.shape = shape;
      this.literal = literal;
      this.regex = regex;
    }

    static LikePattern compile(String pattern, String escape) {
      if (escape == null) {
        String core = pattern;
        boolean lead = core.startsWith("%");
        boolean trail = core.length() > (lead ? 1 : 0) && core.endsWith("%");
        core = core.substring(lead ? 1 : 0, core.length() - (trail ? 1 : 0));
        if (core.indexOf('%') < 0 && core.indexOf('_') < 0) {
          byte[] bytes = core.getBytes(StandardCharsets.UTF_8);
          Shape shape = lead && trail ? Shape.CONTAINS : lead ? Shape.SUFFIX : trail ? Shape.PREFIX : Shape.EXACT;
          return new LikePattern(shape, bytes, null);
        }
      }
      if (escape != null && escape.length() != 1) {
        throw io.freshet.streaming.FreshetException.user("LIKE escape must be one character, got '" + escape + "'");
      }
      StringBuilder re = new StringBuilder();
      for (int k = 0; k < pattern.length(); k++) {
        char c = pattern.charAt(k);
        if (escape != null && c == escape.charAt(0) && k + 1 < pattern.length()) {
          re.append(Pattern.quote(String.valueOf(pattern.charAt(++k))));
        } else if (c == '%') {
          re.append(".*");
        } else if (c == '_') {
          re.append('.');
        } else {
          re.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return new LikePattern(Shape.REGEX, null, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    boolean matches(Text t) {
      return switch (shape) {
        case EXACT -> t.length == literal.length && t.startsWith(literal, 0);
        case PREFIX -> t.startsWith(literal, 0);
        case SUFFIX -> t.startsWith(literal, t.length - literal.length);
        case CONTAINS -> t.contains(literal);
        case REGEX -> regex.matcher(t.string()).matches();
      };
    }
  }
}
