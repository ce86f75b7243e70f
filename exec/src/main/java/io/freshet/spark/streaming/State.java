package io.freshet.spark.streaming;

import java.util.NoSuchElementException;
import scala.Option;

/** Spark's {@code State}: a key's state as mapWithState's function sees it, which it may update or remove. */
public final class State<S> {
  private S state;
  private boolean defined;
  private boolean timingOut;
  private boolean updated;
  private boolean removed;

  /** Wraps a key's state (or none) for one call. */
  public State<S> wrap(S value, boolean exists, boolean isTimingOut) {
    this.state = value;
    this.defined = exists;
    this.timingOut = isTimingOut;
    this.updated = false;
    this.removed = false;
    return this;
  }

  public boolean exists() {
    return defined;
  }

  public S get() {
    if (!defined) {
      throw new NoSuchElementException("State is not set");
    }
    return state;
  }

  public Option<S> getOption() {
    return defined ? Option.apply(state) : Option.empty();
  }

  public void update(S newState) {
    if (removed) {
      throw new IllegalArgumentException("Cannot update the state after it has been removed");
    }
    if (timingOut) {
      throw new IllegalArgumentException("Cannot update the state that is timing out");
    }
    state = newState;
    defined = true;
    updated = true;
  }

  public void remove() {
    if (timingOut) {
      throw new IllegalArgumentException("Cannot remove the state that is timing out; it is going to be removed");
    }
    if (removed) {
      throw new IllegalArgumentException("Cannot remove the state that has already been removed");
    }
    defined = false;
    updated = false;
    removed = true;
  }

  public boolean isTimingOut() {
    return timingOut;
  }

  public boolean isUpdated() {
    return updated;
  }

  public boolean isRemoved() {
    return removed;
  }

  @Override
  public String toString() {
    return defined ? "State(" + state + ")" : "State(<none>)";
  }
}
