package io.freshet.spark.util;

/** Spark's {@code AccumulatorV2}: a value tasks add to and the program reads. Thread-safe here. */
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

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(name: " + name + ", value: " + value() + ")";
  }
}
