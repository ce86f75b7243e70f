package io.freshet.exec.connector;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Objects that live as long as a session and that connectors find by name: the rows of a memory stream, the
 * content of a memory table. Thread-safe.
 */
public final class SharedResources {
  private final ConcurrentMap<String, Object> resources = new ConcurrentHashMap<>();
  private final org.apache.arrow.memory.BufferAllocator allocator;

  /** @param allocator the session-lived allocator that resources keep their data in */
  public SharedResources(org.apache.arrow.memory.BufferAllocator allocator) {
    this.allocator = allocator;
  }

  public org.apache.arrow.memory.BufferAllocator allocator() {
    return allocator;
  }

  /** The resource under {@code key}, made by {@code factory} the first time. */
  public <T> T getOrCreate(String key, Class<T> type, Supplier<T> factory) {
    Object value = resources.computeIfAbsent(key, k -> factory.get());
    if (!type.isInstance(value)) {
      throw new IllegalStateException(key + " holds a " + value.getClass().getSimpleName() + ", not a "
          + type.getSimpleName());
    }
    return type.cast(value);
  }

  public <T> T get(String key, Class<T> type) {
    Object value = resources.get(key);
    return type.isInstance(value) ? type.cast(value) : null;
  }

  /** Removes and returns the resource under {@code key}, or null. */
  public Object remove(String key) {
    return resources.remove(key);
  }

  public Iterable<Object> all() {
    return resources.values();
  }
}
