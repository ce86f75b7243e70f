package io.freshet.exec.plan;

import java.util.Arrays;

/** How a plan node's input rows are spread over the query's partitions. */
public sealed interface Distribution {

  /** Rows stay in the partition that read or made them (stateless work). */
  Distribution ANY = new Any();

  /** Rows with equal values in {@code keys} meet in one partition (before a stateful operator). */
  static Distribution hash(int... keys) {
    return new Hash(keys);
  }

  /** The text EXPLAIN shows, or an empty string for {@link #ANY}. */
  String label();

  record Any() implements Distribution {
    @Override
    public String label() {
      return "";
    }
  }

  record Hash(int[] keys) implements Distribution {
    public Hash {
      keys = keys.clone();
    }

    @Override
    public String label() {
      return keys.length == 0 ? "single" : "hash" + Arrays.toString(keys);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hash h && Arrays.equals(keys, h.keys);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
      return label();
    }
  }
}
