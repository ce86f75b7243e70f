package io.freshet.hadoop.io;

/**
 * Hadoop's {@code LongWritable}, as far as streaming programs use it: a mutable long, such as the byte offset of
 * a line that {@code fileStream} with {@code TextInputFormat} gives as the key.
 */
public class LongWritable implements Comparable<LongWritable>, java.io.Serializable {
  private long value;

  public LongWritable() {
  }

  public LongWritable(long value) {
    this.value = value;
  }

  public void set(long value) {
    this.value = value;
  }

  public long get() {
    return value;
  }

  @Override
  public int compareTo(LongWritable o) {
    return Long.compare(value, o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongWritable w && w.value == value;
  }

  @Override
  public int hashCode() {
    return (int) value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
