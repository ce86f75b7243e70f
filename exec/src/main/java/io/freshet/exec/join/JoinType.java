package io.freshet.exec.join;

import java.util.Locale;

/**
 * Which rows of a join's inputs appear in its output without a match, padded with nulls; or, for a semi or anti
 * join (a stream–static join only: {@code IN}/{@code EXISTS} and their negations), which stream rows pass alone.
 */
public enum JoinType {
  INNER, LEFT, RIGHT, FULL,
  /** Each left row once if some right row matches it, with the left's columns only. */
  SEMI,
  /** Each left row that no right row matches, with the left's columns only. */
  ANTI;

  /** Whether the output has the left input's columns only (a semi or anti join). */
  public boolean leftOnly() {
    return this == SEMI || this == ANTI;
  }

  /** Whether the rows of input {@code side} (0 left, 1 right) that never match are emitted with nulls. */
  public boolean keeps(int side) {
    return this == FULL || (side == 0 ? this == LEFT : this == RIGHT);
  }

  /** As SQL writes it: {@code INNER}, {@code LEFT OUTER}, ... */
  public String sql() {
    return this == INNER || this == SEMI || this == ANTI ? name() : name() + " OUTER";
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
