package io.freshet.spark.util;

/** Spark's {@code LongAccumulator}: a sum and a count of longs. */
public class LongAccumulator extends AccumulatorV2<Long, Long> {
  private long sum;
  private long count;

  public LongAccumulator() {
    this(null);
  }

  public LongAccumulator(String name) {
    super(name);
  }

  @Override
  public synchronized boolean isZero() {
    return sum == 0 && count == 0;
  }

  @Override
  public synchronized LongAccumulator copy() {
    LongAccumulator c = new LongAccumulator(name().getOrElse(() -> null));
    c.sum = sum;
    c.count = count;
    return c;
  }

  @Override
  public synchronized void reset() {
    sum = 0;
    count = 0;
  }

  @Override
  public void add(Long v) {
    add(v.longValue());
  }

  public synchronized void add(long v) {
    sum += v;
    count++;
  }

  @Override
  public synchronized void merge(AccumulatorV2<Long, Long> other) {
    if (!(other instanceof LongAccumulator o)) {
      throw new UnsupportedOperationException("Cannot merge " + getClass().getName() + " with "
          + other.getClass().getName());
    }
    sum += o.sum();
    count += o.count();
  }

  public synchronized long sum() {
    return sum;
  }

  public synchronized long count() {
    return count;
  }

  public synchronized double avg() {
    return (double) sum / count;
  }

  @Override
  public synchronized Long value() {
    return sum;
  }
}
