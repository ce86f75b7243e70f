package io.freshet.exec.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** How values read in the shell: doubles without binary noise or exponents for everyday magnitudes. */
class ValuesTest {

  @Test
  void doublesShowFifteenSignificantDigitsInPlainNotation() {
    assertEquals("33483841.116", Values.display(33483841.116));
    assertEquals("1911.34", Values.display(1911.3400000000001));
    assertEquals("0.3", Values.display(0.1 + 0.2));
    assertEquals("5.0", Values.display(5.0));
    assertEquals("-0.25", Values.display(-0.25));
    assertEquals("0.0", Values.display(0.0));
    assertEquals("123456789012345.0", Values.display(123456789012345.0));
    assertEquals("1.0E20", Values.display(1e20));
    assertEquals("1.5E-9", Values.display(1.5e-9));
    assertEquals("0.000001", Values.display(1e-6));
    assertEquals("NaN", Values.display(Double.NaN));
    assertEquals("-Infinity", Values.display(Double.NEGATIVE_INFINITY));
  }

  @Test
  void otherValuesShowAsTheyFormat() {
    assertEquals("9223372036854775807", Values.display(Long.MAX_VALUE));
    assertEquals("2026-01-01 00:00:00.004", Values.display(LocalDateTime.of(2026, 1, 1, 0, 0, 0, 4_000_000)));
    assertEquals("null", Values.display(null));
    assertEquals("text", Values.display("text"));
  }
}
