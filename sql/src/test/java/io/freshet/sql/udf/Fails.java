package io.freshet.sql.udf;

/** A plain function class (no base class) whose eval throws on one value. */
public class Fails {
  public String eval(String text) {
    if (text.equals("boom")) {
      throw new IllegalStateException("cannot take boom");
    }
    return text;
  }
}
