package io.freshet.exec.engine;

import org.apache.arrow.memory.AllocationReservation;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Counts a stateful operator's state on the Java heap (its key table and accumulators, which are primitive arrays,
 * not Arrow buffers) against the session's memory limit, by holding an Arrow reservation of that size in the
 * operator's allocator. Growing past the limit is an error that names the operator, before the JVM runs out of
 * heap.
 */
final class HeapStateAccount implements AutoCloseable {
  private final BufferAllocator allocator;
  private AllocationReservation reservation;

  HeapStateAccount(BufferAllocator allocator) {
    this.allocator = allocator;
    this.reservation = allocator.newReservation();
  }

  /**
   * The operator now holds {@code bytes} of heap state; returns false when the limit does not allow it (the
   * account then keeps what it held).
   */
  boolean update(long bytes) {
    long reserved = reservation.getSizeLong();
    if (bytes > reserved) {
      // Arrow rounds each addition up to a power of two, so the account runs at most one step ahead.
      return reservation.add(bytes - reserved);
    }
    if (bytes < reserved / 4) {
      reservation.close();
      reservation = allocator.newReservation();
      return bytes == 0 || reservation.add(bytes);
    }
    return true;
  }

  @Override
  public void close() {
    reservation.close();
  }
}
