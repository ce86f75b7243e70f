package io.freshet.sql.udf;

/** Not a function: its method is not named eval. */
public class NoEval {
  public String apply(String text) {
    return text;
  }
}
