package io.freshet.exec.format;

import io.freshet.exec.batch.Values;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hive-style partition directories, as Spark's file sink writes them and its file source reads them: a row goes
 * into {@code col=value/} for each partition column, nested in the order given. A value is written as Spark casts it
 * to a string (a timestamp as {@code yyyy-MM-dd HH:mm:ss} with its fraction, trailing zeros left out), with the
 * characters Spark escapes in a path ({@code " # % ' * / : = ? \ { [ ] ^}, DEL and control characters) written
 * {@code %XX}; NULL and the empty string are {@value #DEFAULT_PARTITION}.
 */
public final class HivePartitions {
  /** The directory value of NULL (and of the empty string), as Hive and Spark write it. */
  public static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";
  private static final String ESCAPED = "\"#%'*/:=?\\{[]^\u007f";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private HivePartitions() {
  }

  /**
   * The positions in {@code schema} of the columns named in {@code spec} (comma-separated, matched ignoring case),
   * in the order given. Refuses an unknown column (naming it and the columns there are), one named twice, and
   * partitioning by every column (no column would be left for the files).
   */
  public static int[] columns(RowSchema schema, String spec, String where) {
    List<Integer> found = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String name = raw.trim();
      if (name.isEmpty()) {
        throw FreshetException.user("The partition columns '" + spec + "' " + where + " name an empty column; "
            + "write them as 'a,b'");
      }
      int index = schema.indexOf(name);
      if (index < 0) {
        throw FreshetException.user("Partition column '" + name + "' " + where + " is not a column of the output; "
            + "its columns are: " + String.join(", ", schema.names()));
      }
      if (found.contains(index)) {
        throw FreshetException.user("Partition column '" + name + "' " + where + " is named twice");
      }
      found.add(index);
    }
    if (found.size() == schema.size()) {
      throw FreshetException.user("The partition columns " + where + " are all the columns of the output ("
          + String.join(", ", schema.names()) + "), so the files would hold nothing: leave at least one out");
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The positions of {@code schema} that are not in {@code partitions}: the columns the files hold. */
  public static int[] dataColumns(RowSchema schema, int[] partitions) {
    return java.util.stream.IntStream.range(0, schema.size())
        .filter(c -> java.util.Arrays.stream(partitions).noneMatch(p -> p == c)).toArray();
  }

  /** One directory level: {@code name=value}, both escaped, a NULL or empty value as {@value #DEFAULT_PARTITION}. */
  public static String directory(String column, Object value) {
    String text = text(value);
    return escape(column) + "=" + (text == null || text.isEmpty() ? DEFAULT_PARTITION : escape(text));
  }

  /** A value as Spark casts it to a string, or null. */
  private static String text(Object value) {
    if (value instanceof LocalDateTime t) {
      String s = Values.TIMESTAMP_FORMAT.format(t);
      // Spark's cast leaves out a zero fraction and the trailing zeros of another.
      s = s.replaceAll("0+$", "");
      return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
    return value == null ? null : value.toString();
  }

  /**
   * Whether a file or directory name is hidden from readers, as Spark decides: it starts with {@code .}, or with
   * {@code _} unless it is a partition directory ({@code _col=value}).
   */
  public static boolean hiddenName(String name) {
    return name.startsWith(".") || name.startsWith("_") && name.indexOf('=') < 0;
  }

  /** Escapes the characters Spark escapes in a path name as {@code %XX}. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // Below 0x20 as Spark, and NUL too (Spark leaves it, but no file system takes it in a name).
      if (c < 0x20 || ESCAPED.indexOf(c) >= 0) {
        out.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Undoes {@link #escape}: {@code %XX} becomes its character (a {@code %} not followed by two hex digits stays). */
  public static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && hex(text, i + 1)) {
        out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean hex(String text, int at) {
    return Character.digit(text.charAt(at), 16) >= 0 && Character.digit(text.charAt(at + 1), 16) >= 0;
  }

  /**
   * The value of a directory's {@code value} text for a column of type {@code type}: null for
   * {@value #DEFAULT_PARTITION}; refused, naming the directory and the column, when it does not parse.
   */
  public static Object parse(String escaped, TypeKind type, String column, String directory) {
    if (escaped.equals(DEFAULT_PARTITION)) {
      return null;
    }
    String text = unescape(escaped);
    try {
      return switch (type) {
        case VARCHAR -> text;
        case INT -> Integer.parseInt(text.trim());
        case BIGINT -> Long.parseLong(text.trim());
        case DOUBLE -> Double.parseDouble(text.trim());
        case BOOLEAN -> {
          String b = text.trim().toLowerCase(Locale.ROOT);
          if (!b.equals("true") && !b.equals("false")) {
            throw new IllegalArgumentException(b);
          }
          yield Boolean.parseBoolean(b);
        }
        case TIMESTAMP -> Values.toLocalDateTime(Values.toEpochMillis(text.trim()));
      };
    } catch (RuntimeException e) {
      throw FreshetException.user("The partition directory " + directory + " gives column " + column + " the value '"
          + text + "', which is not a " + type.sqlName() + "; declare the column with the type its directories "
          + "hold (VARCHAR takes any)");
    }
  }
}
