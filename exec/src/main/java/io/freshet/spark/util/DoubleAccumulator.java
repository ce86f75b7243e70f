package io.freshet.spark.util;

/** Spark's {@code DoubleAccumulator}: a sum and a count of doubles. */
public class DoubleAccumulator extends AccumulatorV2<Double, Double> {
  private double sum;
  private long count;

  public DoubleAccumulator() {
    this(null);
  }

  public DoubleAccumulator(String name) {
    super(name);
  }

  @Override
  public synchronized boolean isZero() {
    return sum == 0 && count == 0;
  }

  @Override
  public synchronized DoubleAccumulator copy() {
    DoubleAccumulator c = new DoubleAccumulator(name().getOrElse(() -> null));
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
  public void add(Double v) {
    add(v.doubleValue());
  }

  public synchronized void add(double v) {
    sum += v;
    count++;
  }

  @Override
  public synchronized void merge(AccumulatorV2<Double, Double> other) {
    if (!(other instanceof DoubleAccumulator o)) {
      throw new UnsupportedOperationException("Cannot merge " + getClass().getName() + " with "
          + other.getClass().getName());
    }
    sum += o.sum();
    count += o.count();
  }

  public synchronized double sum() {
    return sum;
  }

  public synchronized long count() {
    return count;
  }

  public synchronized double avg() {
    return sum / count;
  }

  @Override
  public synchronized Double value() {
    return sum;
  }
}
