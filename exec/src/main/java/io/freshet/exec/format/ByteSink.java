package io.freshet.exec.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that text encoders append to; reused from record to record. */
public final class ByteSink {
  private byte[] bytes = new byte[1 << 16];
  private int length;

  public void put(byte b) {
    if (length == bytes.length) {
      grow(1);
    }
    bytes[length++] = b;
  }

  public void put(byte[] b, int off, int len) {
    if (length + len > bytes.length) {
      grow(len);
    }
    System.arraycopy(b, off, bytes, length, len);
    length += len;
  }

  public void ascii(String s) {
    put(s.getBytes(StandardCharsets.UTF_8), 0, s.getBytes(StandardCharsets.UTF_8).length);
  }

  /** A non-negative number with at least {@code width} digits, zero-padded. */
  public void digits(long v, int width) {
    if (v < 0) {
      put((byte) '-');
      v = -v;
    }
    int n = 1;
    for (long t = v; t >= 10; t /= 10) {
      n++;
    }
    for (int i = n; i < width; i++) {
      put((byte) '0');
    }
    if (length + n > bytes.length) {
      grow(n);
    }
    for (int i = length + n - 1; i >= length; i--) {
      bytes[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    length += n;
  }

  public void number(long v) {
    if (v == Long.MIN_VALUE) {
      ascii(Long.toString(v));
      return;
    }
    digits(v, 1);
  }

  private void grow(int needed) {
    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + needed));
  }

  public byte[] array() {
    return bytes;
  }

  public int length() {
    return length;
  }

  public void clear() {
    length = 0;
  }
}
