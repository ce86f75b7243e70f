package io.freshet.hadoop.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hadoop's {@code Text}, as far as streaming programs use it: UTF-8 bytes, such as a line that {@code fileStream}
 * with {@code TextInputFormat} gives as the value (without its line break). As in Hadoop, {@link #getBytes} may be
 * longer than {@link #getLength}; {@link #copyBytes} is exact. Ordered by unsigned bytes.
 */
public class Text implements Comparable<Text>, java.io.Serializable {
  private byte[] bytes = new byte[0];
  private int length;

  public Text() {
  }

  public Text(String string) {
    set(string);
  }

  public Text(Text other) {
    set(other);
  }

  public Text(byte[] utf8) {
    set(utf8);
  }

  public void set(String string) {
    bytes = string.getBytes(StandardCharsets.UTF_8);
    length = bytes.length;
  }

  public void set(Text other) {
    set(other.bytes, 0, other.length);
  }

  public void set(byte[] utf8) {
    set(utf8, 0, utf8.length);
  }

  public void set(byte[] utf8, int start, int len) {
    bytes = Arrays.copyOfRange(utf8, start, start + len);
    length = len;
  }

  public void append(byte[] utf8, int start, int len) {
    byte[] joined = Arrays.copyOf(bytes, length + len);
    System.arraycopy(utf8, start, joined, length, len);
    bytes = joined;
    length += len;
  }

  public void clear() {
    length = 0;
  }

  /** The backing bytes: only the first {@link #getLength()} are the text. */
  public byte[] getBytes() {
    return bytes;
  }

  public int getLength() {
    return length;
  }

  public byte[] copyBytes() {
    return Arrays.copyOf(bytes, length);
  }

  /** The index in bytes of {@code what} from byte {@code start}, or -1. */
  public int find(String what, int start) {
    byte[] target = what.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = Math.max(0, start); i + target.length <= length; i++) {
      for (int j = 0; j < target.length; j++) {
        if (bytes[i + j] != target[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public int find(String what) {
    return find(what, 0);
  }

  @Override
  public int compareTo(Text o) {
    return Arrays.compareUnsigned(bytes, 0, length, o.bytes, 0, o.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Text t && Arrays.equals(bytes, 0, length, t.bytes, 0, t.length);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < length; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}
