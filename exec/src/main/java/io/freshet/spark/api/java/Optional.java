package io.freshet.spark.api.java;

import java.util.NoSuchElementException;
import java.util.Objects;

/** Spark's {@code org.apache.spark.api.java.Optional}: a value or none, as outer joins and state functions use. */
public final class Optional<T> implements java.io.Serializable {
  private static final Optional<?> EMPTY = new Optional<>(null);
  private final T value;

  private Optional(T value) {
    this.value = value;
  }

  @SuppressWarnings("unchecked")
  public static <T> Optional<T> empty() {
    return (Optional<T>) EMPTY;
  }

  public static <T> Optional<T> absent() {
    return empty();
  }

  public static <T> Optional<T> of(T value) {
    return new Optional<>(Objects.requireNonNull(value));
  }

  public static <T> Optional<T> ofNullable(T value) {
    return value == null ? empty() : new Optional<>(value);
  }

  public static <T> Optional<T> fromNullable(T value) {
    return ofNullable(value);
  }

  public T get() {
    if (value == null) {
      throw new NoSuchElementException("No value present");
    }
    return value;
  }

  public T orElse(T other) {
    return value != null ? value : other;
  }

  public T or(T other) {
    return orElse(other);
  }

  public T orNull() {
    return value;
  }

  public boolean isPresent() {
    return value != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Optional<?> other && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return value == null ? "Optional.empty" : "Optional[" + value + "]";
  }
}
