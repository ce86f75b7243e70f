package io.freshet.exec.plan;

import java.util.Arrays;

/** How a plan node's input rows are spread over the query's partitions. */
public sealed interface Distribution {

  /** Rows stay in the partition that read or made them (stateless work). */
  Distribution ANY = new Any();

  /** Rows with equal values in {@code keys} meet in one partition (before a stateful operator). */
  static Distribution hash(int... keys) {
    return new Hash(new int[][] {keys});
  }

  /**
   * Rows of each input with equal values in that input's keys meet in one partition (before a join): input
   * {@code i} is hashed on {@code keys[i]}, whose columns have the same types, in order, as the other inputs'.
   */
  static Distribution hashEach(int[]... keys) {
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

  /** Hashed on {@code inputKeys[i]} for input {@code i} (the last for every input after it). */
  record Hash(int[][] inputKeys) implements Distribution {
    public Hash {
      inputKeys = Arrays.stream(inputKeys).map(int[]::clone).toArray(int[][]::new);
    }

    /** The keys of the first input. */
    public int[] keys() {
      return keys(0);
    }

    /** The keys of input {@code input}. */
    public int[] keys(int input) {
      return inputKeys[Math.min(input, inputKeys.length - 1)].clone();
    }

    @Override
    public String label() {
      if (inputKeys[0].length == 0) {
        return "single";
      }
      StringBuilder sb = new StringBuilder("hash");
      for (int i = 0; i < inputKeys.length; i++) {
        sb.append(i == 0 ? "" : "/").append(Arrays.toString(inputKeys[i]));
      }
      return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hash h && Arrays.deepEquals(inputKeys, h.inputKeys);
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(inputKeys);
    }

    @Override
    public String toString() {
      return label();
    }
  }
}
