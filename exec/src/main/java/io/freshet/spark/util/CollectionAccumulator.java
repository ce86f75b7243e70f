package io.freshet.spark.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Spark's {@code CollectionAccumulator}: the elements added, in order. */
public class CollectionAccumulator<T> extends AccumulatorV2<T, List<T>> {
  private final List<T> elements = new ArrayList<>();

  public CollectionAccumulator() {
    this(null);
  }

  public CollectionAccumulator(String name) {
    super(name);
  }

  @Override
  public synchronized boolean isZero() {
    return elements.isEmpty();
  }

  @Override
  public synchronized CollectionAccumulator<T> copy() {
    CollectionAccumulator<T> c = new CollectionAccumulator<>(name().getOrElse(() -> null));
    c.elements.addAll(elements);
    return c;
  }

  @Override
  public synchronized void reset() {
    elements.clear();
  }

  @Override
  public synchronized void add(T v) {
    elements.add(v);
  }

  @Override
  public synchronized void merge(AccumulatorV2<T, List<T>> other) {
    elements.addAll(other.value());
  }

  @Override
  public synchronized List<T> value() {
    return Collections.unmodifiableList(new ArrayList<>(elements));
  }
}
