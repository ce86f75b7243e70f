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

  /** Reservations grow and shrink by this much: Arrow rounds each addition up to a power of two, this one exactly. */
  static final long CHUNK = 64L << 10;

  /**
   * The operator now holds {@code bytes} of heap state; returns false when the limit does not allow it (the
   * account then keeps what it held). The account is {@code bytes} rounded up to a whole {@link #CHUNK}.
   */
  boolean update(long bytes) {
    long wanted = (bytes + CHUNK - 1) / CHUNK * CHUNK;
    long reserved = reservation.getSizeLong();
    if (wanted > reserved) {
      for (long r = reserved; r < wanted; r += CHUNK) {
        if (!reservation.add(CHUNK)) {
          return false;
        }
      }
    } else if (wanted < reserved / 2) {
      // A reservation only grows: give it back and take a smaller one (this cannot exceed what was held).
      reservation.close();
      reservation = allocator.newReservation();
      for (long r = 0; r < wanted; r += CHUNK) {
        if (!reservation.add(CHUNK)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The bytes counted now. */
  long reserved() {
    return reservation.getSizeLong();
  }

  @Override
  public void close() {
    reservation.close();
  }
}
