package io.freshet.sources.nexmark;

/**
 * The user-defined function of Nexmark q14, as the Flink suite's {@code CountChar}: how many times the first
 * character of {@code character} occurs in {@code text} (0 for NULL text). A plain function class: public, a
 * constructor without arguments, a public {@code eval}. Declared with
 * {@code CREATE FUNCTION count_char AS 'io.freshet.sources.nexmark.CountChar'}.
 */
public class CountChar {
  /** The count of {@code character}'s first character in {@code text}. */
  public long eval(String text, String character) {
    long count = 0;
    if (text != null) {
      char wanted = character.charAt(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == wanted) {
          count++;
        }
      }
    }
    return count;
  }
}
