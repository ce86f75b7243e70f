package io.freshet.sql.udf;

import io.freshet.functions.ScalarFunction;

/** A function with three evals: text (boxed, so it sees NULL), two primitive longs, and a boxed double. */
public class Label extends ScalarFunction {
  private String prefix = "not opened ";

  @Override
  public void open() {
    prefix = "#";
  }

  public String eval(String text) {
    return text == null ? "no text" : prefix + text.toUpperCase();
  }

  public long eval(long a, long b) {
    return a + b;
  }

  public Double eval(Double d) {
    return d == null ? -1.0 : d * 2;
  }
}
