package io.freshet.exec.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer that text encoders append to; reused from record to record. */
public final class ByteSink {
  private final int initialCapacity;
  private byte[] bytes;
  private int length;

  /** A buffer of 64 KiB to start with, for one writer of many records. */
  public ByteSink() {
    this(1 << 16);
  }

  /** A buffer of {@code initialCapacity} bytes to start with (small, for one of many writers). */
  public ByteSink(int initialCapacity) {
    this.initialCapacity = Math.max(16, initialCapacity);
    this.bytes = new byte[this.initialCapacity];
  }

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

  /** Empties the buffer and gives back what it grew to beyond its initial capacity. */
  public void release() {
    length = 0;
    if (bytes.length > initialCapacity) {
      bytes = new byte[initialCapacity];
    }
  }
}
