package io.freshet.spark.rdd;

import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The element-wise transformations as iterators over their parent's: an element goes through a chain of them one
 * at a time and is gone (to the young generation's garbage) by the time the next one is read.
 */
final class Pipelines {
  private Pipelines() {
  }

  static final class Mapped<T, U> implements Iterator<U> {
    private final Iterator<T> in;
    private final Function<T, U> f;

    Mapped(Iterator<T> in, Function<T, U> f) {
      this.in = in;
      this.f = f;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public U next() {
      T t = in.next();
      try {
        return f.call(t);
      } catch (Exception e) {
        throw RDD.rethrow(e);
      }
    }
  }

  static final class Filtered<T> implements Iterator<T> {
    private final Iterator<T> in;
    private final Function<T, Boolean> f;
    private T next;
    private boolean ready;

    Filtered(Iterator<T> in, Function<T, Boolean> f) {
      this.in = in;
      this.f = f;
    }

    @Override
    public boolean hasNext() {
      while (!ready && in.hasNext()) {
        T t = in.next();
        boolean keep;
        try {
          keep = f.call(t);
        } catch (Exception e) {
          throw RDD.rethrow(e);
        }
        if (keep) {
          next = t;
          ready = true;
        }
      }
      return ready;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ready = false;
      T t = next;
      next = null;
      return t;
    }
  }

  static final class FlatMapped<T, U> implements Iterator<U> {
    private final Iterator<T> in;
    private final FlatMapFunction<T, U> f;
    private Iterator<U> current = Collections.emptyIterator();

    FlatMapped(Iterator<T> in, FlatMapFunction<T, U> f) {
      this.in = in;
      this.f = f;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (!in.hasNext()) {
          return false;
        }
        T t = in.next();
        try {
          current = f.call(t);
        } catch (Exception e) {
          throw RDD.rethrow(e);
        }
        if (current == null) {
          current = Collections.emptyIterator();
        }
      }
      return true;
    }

    @Override
    public U next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
