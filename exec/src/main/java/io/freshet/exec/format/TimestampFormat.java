package io.freshet.exec.format;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as zone-less text in UTC, milliseconds since the epoch in memory. The default pattern
 * {@code yyyy-MM-dd HH:mm:ss.SSS} is read and written by hand, digit by digit, without objects; reading it also
 * takes fewer fraction digits, none, or a {@code T} between date and time. Any other pattern goes through
 * {@link DateTimeFormatter}.
 */
public final class TimestampFormat {
  private final String pattern;
  private final DateTimeFormatter formatter;

  private TimestampFormat(String pattern, DateTimeFormatter formatter) {
    this.pattern = pattern;
    this.formatter = formatter;
  }

  /** The format of {@code pattern}; throws IllegalArgumentException when it is not a valid pattern. */
  public static TimestampFormat of(String pattern) {
    if (FormatOptions.DEFAULT_TIMESTAMP_FORMAT.equals(pattern)) {
      return new TimestampFormat(pattern, null);
    }
    // A pattern without a time of day (yyyy-MM-dd) reads as midnight.
    DateTimeFormatter formatter = new java.time.format.DateTimeFormatterBuilder().appendPattern(pattern)
        .parseDefaulting(java.time.temporal.ChronoField.HOUR_OF_DAY, 0)
        .parseDefaulting(java.time.temporal.ChronoField.MINUTE_OF_HOUR, 0)
        .parseDefaulting(java.time.temporal.ChronoField.SECOND_OF_MINUTE, 0).toFormatter();
    checkRoundTrip(pattern, formatter);
    return new TimestampFormat(pattern, formatter);
  }

  /**
   * Refuses a pattern that java.time accepts but that cannot read back a date and time it wrote (no date, a
   * 12-hour clock without am/pm, the week-based year {@code YYYY}, a time zone): with it every timestamp read
   * would be NULL.
   */
  private static void checkRoundTrip(String pattern, DateTimeFormatter formatter) {
    LocalDateTime sample = LocalDateTime.of(2001, 2, 3, 14, 5, 6, 789_000_000);
    String text;
    try {
      text = formatter.format(sample);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("it cannot write a zone-less date and time (" + e.getMessage()
          + "); timestamps are read and written as UTC without a zone");
    }
    LocalDateTime back;
    try {
      back = LocalDateTime.parse(text, formatter);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("it cannot read back a date and time it wrote ('" + text + "' for "
          + sample.toString().replace('T', ' ') + ")" + (pattern.contains("Y") ? "; YYYY is the week-based year, "
          + "yyyy the calendar year" : pattern.contains("h") && !pattern.contains("a") ? "; hh is a 12-hour clock "
          + "and needs 'a' (am/pm), HH is the 24-hour clock" : "; it needs at least a date (yyyy, MM, dd)"));
    }
    if (!back.toLocalDate().equals(sample.toLocalDate())) {
      throw new IllegalArgumentException("it reads '" + text + "' back as " + back.toLocalDate() + ", not "
          + sample.toLocalDate() + "; it needs the year, month and day (yyyy, MM, dd)");
    }
  }

  public String pattern() {
    return pattern;
  }

  /**
   * Parses {@code len} bytes at {@code off}; throws IllegalArgumentException naming the pattern when they do not
   * match.
   */
  public long parse(byte[] b, int off, int len) {
    if (formatter == null) {
      long v = parseDefault(b, off, len);
      if (v != Long.MIN_VALUE) {
        return v;
      }
      throw new IllegalArgumentException("not a timestamp of the form " + pattern);
    }
    String text = new String(b, off, len, StandardCharsets.UTF_8);
    try {
      return LocalDateTime.parse(text, formatter).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a timestamp of the form " + pattern);
    }
  }

  /**
   * Milliseconds of {@code yyyy-MM-dd[( |T)HH:mm[:ss[.fraction]]]} (one to nine fraction digits), or Long.MIN_VALUE
   * when the text is not that.
   */
  private static long parseDefault(byte[] b, int off, int len) {
    if (len < 10 || b[off + 4] != '-' || b[off + 7] != '-') {
      return Long.MIN_VALUE;
    }
    int year = digits(b, off, 4);
    int month = digits(b, off + 5, 2);
    int day = digits(b, off + 8, 2);
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millis = 0;
    if (len > 10) {
      if ((b[off + 10] != ' ' && b[off + 10] != 'T') || len < 16 || b[off + 13] != ':') {
        return Long.MIN_VALUE;
      }
      hour = digits(b, off + 11, 2);
      minute = digits(b, off + 14, 2);
      int p = 16;
      if (len > 16) {
        if (b[off + 16] != ':' || len < 19) {
          return Long.MIN_VALUE;
        }
        second = digits(b, off + 17, 2);
        p = 19;
        if (len > 19) {
          int fraction = len - 20;
          if (b[off + 19] != '.' || fraction < 1 || fraction > 9 || digits(b, off + 20, fraction) < 0) {
            return Long.MIN_VALUE;
          }
          // Milliseconds: finer digits (micro- or nanoseconds) are dropped.
          millis = digits(b, off + 20, Math.min(fraction, 3));
          for (int i = fraction; i < 3; i++) {
            millis *= 10;
          }
          p = len;
        }
      }
      if (p != len) {
        return Long.MIN_VALUE;
      }
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
      return Long.MIN_VALUE;
    }
    long days = daysFromCivil(year, month, day);
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  private static int digits(byte[] b, int off, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int d = b[off + i] - '0';
      if (d < 0 || d > 9) {
        return -1_000_000;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int daysInMonth(int year, int month) {
    if (month == 2) {
      return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
    }
    return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse of H. Hinnant's algorithm). */
  static long daysFromCivil(long y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  /** Appends {@code millis} as text to {@code out}. */
  public void format(long millis, ByteSink out) {
    if (formatter != null) {
      out.ascii(formatter.format(LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000),
          (int) Math.floorMod(millis, 1000) * 1_000_000, ZoneOffset.UTC)));
      return;
    }
    long days = Math.floorDiv(millis, 86_400_000L);
    long ms = Math.floorMod(millis, 86_400_000L);
    long z = days + 719468;
    long era = Math.floorDiv(z, 146097);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    out.digits(year, 4);
    out.put((byte) '-');
    out.digits(month, 2);
    out.put((byte) '-');
    out.digits(day, 2);
    out.put((byte) ' ');
    out.digits(ms / 3_600_000, 2);
    out.put((byte) ':');
    out.digits(ms / 60_000 % 60, 2);
    out.put((byte) ':');
    out.digits(ms / 1000 % 60, 2);
    out.put((byte) '.');
    out.digits(ms % 1000, 3);
  }
}
