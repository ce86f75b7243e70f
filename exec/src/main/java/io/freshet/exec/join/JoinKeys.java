package io.freshet.exec.join;

import io.freshet.exec.state.OrderedBytes;
import java.util.Arrays;

/**
 * The keys of a join's state: a row of side {@code s} under {@code [1 + s][join key][time][seq]}, its index entry
 * under {@code [3 + s][until][join key][time][seq]}, the numbers written as {@link OrderedBytes#putLong} writes them,
 * so that keys sort as their values do.
 */
final class JoinKeys {
  /** The value of an index entry: nothing, one array for all of them. */
  static final byte[] EMPTY = new byte[0];

  private JoinKeys() {
  }

  /** {@code rest} after the one byte {@code tag}. */
  static byte[] tagged(byte tag, byte[] rest) {
    byte[] key = new byte[rest.length + 1];
    key[0] = tag;
    System.arraycopy(rest, 0, key, 1, rest.length);
    return key;
  }

  /** {@code prefix} followed by {@code time}: where the prefix's rows from that time on begin. */
  static byte[] withTime(byte[] prefix, long time) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
    putLong(key, prefix.length, time);
    return key;
  }

  /** The index entry of row {@code rowKey} of side {@code side}, kept until {@code until}. */
  static byte[] indexKey(int side, long until, byte[] rowKey) {
    byte[] key = new byte[rowKey.length + 8];
    key[0] = (byte) (3 + side);
    putLong(key, 1, until);
    System.arraycopy(rowKey, 1, key, 9, rowKey.length - 1);
    return key;
  }

  /** Writes {@code v} at {@code at} as {@link OrderedBytes#putLong} does: 8 bytes that sort as the number. */
  private static void putLong(byte[] key, int at, long v) {
    long bits = v ^ Long.MIN_VALUE;
    for (int i = 0; i < 8; i++) {
      key[at + i] = (byte) (bits >>> (56 - 8 * i));
    }
  }
}
