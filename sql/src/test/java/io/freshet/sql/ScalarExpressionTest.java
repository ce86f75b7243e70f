package io.freshet.sql;

import static io.freshet.sql.testing.StreamTest.addData;
import static io.freshet.sql.testing.StreamTest.checkAnswer;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.StreamTest;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every scalar form the issue lists, from SQL text through Calcite to the kernels. */
class ScalarExpressionTest {
  private static final LocalDateTime T1 = LocalDateTime.of(2026, 3, 1, 12, 0, 0);
  private static final LocalDateTime T2 = LocalDateTime.of(2026, 3, 1, 12, 0, 5, 250_000_000);
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  /** Runs {@code select} over a fresh stream {@code t} holding three rows, the last all NULL. */
  private void check(String select, Row... expected) {
    session.sql("DROP STREAM IF EXISTS t");
    session.sql("CREATE STREAM t (id INT, price BIGINT, ratio DOUBLE, name VARCHAR, ts TIMESTAMP(3), ok BOOLEAN)"
        + " WITH ('connector' = 'memory')");
    StreamTest.of(session, select).run(
        addData("t",
            Row.of(1, 100L, 0.5, "  Apple ", T1, true),
            Row.of(2, -30L, 2.0, "banana", T2, false),
            Row.of(3, null, null, null, null, null)),
        checkAnswer(expected));
  }

  @Test
  void arithmeticAndMod() {
    check("SELECT id, price + id * 2, price - 1, price / 7, MOD(price, 7), price % 4, ABS(price), -price, ratio * 3"
            + " FROM t",
        Row.of(1, 102L, 99L, 14L, 2L, 0L, 100L, -100L, 1.5),
        Row.of(2, -26L, -31L, -4L, -2L, -2L, 30L, 30L, 6.0),
        Row.of(3, null, null, null, null, null, null, null, null));
  }

  @Test
  void modOfABigintByAnIntKeepsAllSixtyFourBits() {
    // Calcite types MOD(BIGINT, INT) as INT; the dividend must still be used whole.
    long big = (1L << 40) + 3;
    session.sql("DROP STREAM IF EXISTS t");
    session.sql("CREATE STREAM t (x BIGINT) WITH ('connector' = 'memory')");
    StreamTest.of(session, "SELECT MOD(x, 7), x % 1000 FROM t WHERE MOD(x, 7) = " + (big % 7)).run(
        addData("t", Row.of(big), Row.of(big + 1)),
        checkAnswer(Row.of((int) (big % 7), (int) (big % 1000))));
  }

  @Test
  void comparisonsAndBooleanLogic() {
    check("SELECT id FROM t WHERE (price > 0 AND ok) OR (NOT ok AND price <> 5 AND ratio >= 2.0)",
        Row.of(1), Row.of(2));
    check("SELECT id, price IS NULL, ok IS NOT NULL, ok IS TRUE, ok IS NOT FALSE FROM t",
        Row.of(1, false, true, true, true), Row.of(2, false, true, false, false), Row.of(3, true, false, false, true));
  }

  @Test
  void caseAndCast() {
    check("SELECT id, CASE WHEN price > 50 THEN 'high' WHEN price < 0 THEN 'negative' ELSE 'other' END,"
            + " CAST(price AS VARCHAR), CAST(ratio AS INT), CAST('42' AS BIGINT) + id FROM t",
        Row.of(1, "high", "100", 0, 43L),
        Row.of(2, "negative", "-30", 2, 44L),
        Row.of(3, "other", null, null, 45L));
  }

  @Test
  void stringFunctions() {
    check("SELECT id, UPPER(name), LOWER(name), TRIM(name), TRIM(LEADING ' ' FROM name),"
            + " SUBSTRING(name FROM 3 FOR 3), CHAR_LENGTH(name), name || '!' FROM t",
        Row.of(1, "  APPLE ", "  apple ", "Apple", "Apple ", "App", 8, "  Apple !"),
        Row.of(2, "BANANA", "banana", "banana", "banana", "nan", 6, "banana!"),
        Row.of(3, null, null, null, null, null, null, null));
  }

  @Test
  void splitIndexTakesAPieceFromZeroOrNull() {
    // "banana" cut at 'an' is b | (empty) | a; "  Apple " has no 'a', so only piece 0; -1 and 5 are out of range.
    check("SELECT id, SPLIT_INDEX(name, 'a', 1), SPLIT_INDEX(name, 'an', 1), SPLIT_INDEX(name, 'an', 2),"
            + " SPLIT_INDEX(name, 'a', 5), SPLIT_INDEX('x,y', ',', id - 2), SPLIT_INDEX('x,y', name, 0) FROM t",
        Row.of(1, null, null, null, null, null, "x,y"),
        Row.of(2, "n", "", "a", null, "x", "x,y"),
        Row.of(3, null, null, null, null, "y", null));
  }

  @Test
  void regexpExtractTakesAGroupOfTheFirstMatch() {
    // The default group is 0, the whole match; a group beyond the pattern's, or no match, is NULL.
    check("SELECT id, REGEXP_EXTRACT(name, '([a-z])(n+)', 2), REGEXP_EXTRACT(name, 'an+'),"
            + " REGEXP_EXTRACT(name, 'an', 1), REGEXP_EXTRACT(name, '(p+)', id), REGEXP_EXTRACT(name, 'z') FROM t",
        Row.of(1, null, null, null, "pp", null),
        Row.of(2, "n", "an", null, null, null),
        Row.of(3, null, null, null, null, null));
  }

  @Test
  void dateFormatRendersATimestampWithJavaPatternLetters() {
    check("SELECT id, DATE_FORMAT(ts, 'yyyy-MM-dd'), DATE_FORMAT(ts, 'HH:mm:ss.SSS'),"
            + " DATE_FORMAT('2026-03-01 08:30:00', 'HH:mm') FROM t",
        Row.of(1, "2026-03-01", "12:00:00.000", "08:30"),
        Row.of(2, "2026-03-01", "12:00:05.250", "08:30"),
        Row.of(3, null, null, "08:30"));
  }

  @Test
  void hourMinuteAndSecondOfATimestampEvenBefore1970() {
    check("SELECT id, HOUR(ts), MINUTE(ts), EXTRACT(SECOND FROM ts), HOUR(TIMESTAMP '1969-12-31 23:59:58') FROM t",
        Row.of(1, 12L, 0L, 0L, 23L),
        Row.of(2, 12L, 0L, 5L, 23L),
        Row.of(3, null, null, null, 23L));
    assertFails("SELECT YEAR(ts) FROM t", "EXTRACT of YEAR is not supported yet; HOUR, MINUTE and SECOND are");
  }

  @Test
  void flinkTextFunctionsRefuseWrongArguments() {
    check("SELECT id FROM t WHERE id = 0"); // creates t
    assertFails("SELECT SPLIT_INDEX(name, ',', ts) FROM t",
        "Supported form(s): 'SPLIT_INDEX(<CHARACTER>, <CHARACTER>, <INTEGER>)'");
    assertFails("SELECT DATE_FORMAT(ok, 'HH:mm') FROM t", "Supported form(s): 'DATE_FORMAT(<TIMESTAMP>, <CHARACTER>)'");
    assertFails("SELECT DATE_FORMAT(ts, name) FROM t", "DATE_FORMAT needs its format as a string literal");
    assertFails("SELECT REGEXP_EXTRACT(name, name) FROM t",
        "REGEXP_EXTRACT needs its regular expression as a string literal");
    assertFails("SELECT REGEXP_EXTRACT(name, '(a') FROM t", "'(a' is not a valid Java regular expression");
    assertFails("SELECT DATE_FORMAT(ts, 'bb') FROM t", "'bb' is not a valid date format");
  }

  private void assertFails(String sql, String message) {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql(sql));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void like() {
    check("SELECT id FROM t WHERE name LIKE '%an_na' OR name LIKE '  A%'", Row.of(1), Row.of(2));
    check("SELECT id FROM t WHERE name NOT LIKE '%an%'", Row.of(1));
  }

  @Test
  void timestampLiteralsComparisonsAndIntervals() {
    check("SELECT id, ts + INTERVAL '1' SECOND FROM t WHERE ts >= TIMESTAMP '2026-03-01 12:00:05'",
        Row.of(2, T2.plusSeconds(1)));
    check("SELECT id FROM t WHERE ts < TIMESTAMP '2026-03-01 12:00:05.250' AND ts > TIMESTAMP '2026-01-01 00:00:00'",
        Row.of(1));
  }

  @Test
  void inListAndBetween() {
    check("SELECT id FROM t WHERE id IN (1, 3) OR price BETWEEN -50 AND -10", Row.of(1), Row.of(2), Row.of(3));
  }
}
