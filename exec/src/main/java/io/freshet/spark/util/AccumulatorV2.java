package io.freshet.spark.util;

/**
 * Spark's {@code AccumulatorV2}: a value tasks add to and the program reads. Thread-safe here; every task's copy of
 * a function adds to this very object (tasks run in this process).
 */
public abstract class AccumulatorV2<IN, OUT> implements java.io.Serializable {
  private final String name;

  protected AccumulatorV2(String name) {
    this.name = name;
  }

  public scala.Option<String> name() {
    return scala.Option.apply(name);
  }

  public abstract boolean isZero();

  public abstract AccumulatorV2<IN, OUT> copy();

  public abstract void reset();

  public abstract void add(IN v);

  public abstract void merge(AccumulatorV2<IN, OUT> other);

  public abstract OUT value();

  /** In a task's copy of a function, this same accumulator. */
  protected final Object writeReplace() {
    return io.freshet.spark.rdd.Closures.shareInCopies(this);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(name: " + name + ", value: " + value() + ")";
  }
}
