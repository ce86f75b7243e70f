package io.freshet.exec.join;

import java.util.Locale;

/** Which rows of a join's inputs appear in its output without a match, padded with nulls. */
public enum JoinType {
  INNER, LEFT, RIGHT, FULL;

  /** Whether the rows of input {@code side} (0 left, 1 right) that never match are emitted with nulls. */
  public boolean keeps(int side) {
    return this == FULL || (side == 0 ? this == LEFT : this == RIGHT);
  }

  /** As SQL writes it: {@code INNER}, {@code LEFT OUTER}, ... */
  public String sql() {
    return this == INNER ? "INNER" : name() + " OUTER";
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
