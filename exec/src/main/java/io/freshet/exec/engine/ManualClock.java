package io.freshet.exec.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * A clock that moves only when told to, for tests that drive processing time batch by batch: a query whose
 * definition carries one triggers its processing-time batches when the clock reaches their time, not when the
 * wall clock does, and wakes as soon as the clock moves.
 */
public class ManualClock implements LongSupplier {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile long time;

  public ManualClock() {
    this(0);
  }

  public ManualClock(long time) {
    this.time = time;
  }

  public long getTimeMillis() {
    return time;
  }

  @Override
  public long getAsLong() {
    return time;
  }

  public void setTime(long timeToSet) {
    time = timeToSet;
    listeners.forEach(Runnable::run);
  }

  public void advance(long timeToAdd) {
    setTime(time + timeToAdd);
  }

  /** Runs {@code listener} whenever the clock moves (the engine wakes its waiting query thread this way). */
  public void onAdvance(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }
}
