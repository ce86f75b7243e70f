package io.freshet.spark.broadcast;

/** Spark's {@code Broadcast}: a read-only value every task sees; here one shared object. */
public class Broadcast<T> implements java.io.Serializable {
  private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
  private final long id = IDS.getAndIncrement();
  private volatile T value;
  private volatile boolean destroyed;

  public Broadcast(T value) {
    this.value = value;
  }

  public long id() {
    return id;
  }

  public T value() {
    if (destroyed) {
      throw new IllegalStateException("Attempted to use Broadcast(" + id + ") after it was destroyed");
    }
    return value;
  }

  public void unpersist() {
  }

  public void unpersist(boolean blocking) {
  }

  public void destroy() {
    destroyed = true;
    value = null;
  }

  /** In a task's copy of a function, this same broadcast (its value is not copied). */
  protected final Object writeReplace() {
    return io.freshet.spark.rdd.Closures.shareInCopies(this);
  }

  @Override
  public String toString() {
    return "Broadcast(" + id + ")";
  }
}
