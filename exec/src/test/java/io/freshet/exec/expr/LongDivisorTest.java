package io.freshet.exec.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongDivisorTest {

  @Test
  void agreesWithJavaDivisionOnEdgesAndRandomValues() {
    long[] divisors = {2, 3, 5, 7, 10, 13, 123, 1000, 1 << 20, 999_999_937L, Long.MAX_VALUE};
    long[] edges = {0, 1, -1, 6, 7, 8, -6, -7, -8, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
        Integer.MAX_VALUE, Integer.MIN_VALUE};
    SplittableRandom random = new SplittableRandom(1);
    for (long d : divisors) {
      LongDivisor divisor = new LongDivisor(d);
      for (long n : edges) {
        assertEquals(n / d, divisor.divide(n), n + " / " + d);
        assertEquals(n % d, divisor.remainder(n), n + " % " + d);
      }
      for (int i = 0; i < 100_000; i++) {
        long n = i % 2 == 0 ? random.nextLong() : random.nextLong(-1_000_000, 1_000_000);
        assertEquals(n / d, divisor.divide(n), n + " / " + d);
        assertEquals(n % d, divisor.remainder(n), n + " % " + d);
      }
    }
  }
}
