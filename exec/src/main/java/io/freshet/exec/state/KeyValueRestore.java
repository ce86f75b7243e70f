package io.freshet.exec.state;

/**
 * Restores a partition's key-value state: from its own checkpoint, or, after a change in the number of partitions,
 * gathered from each store of the previous layout that holds some of its keys, into a state emptied once.
 */
public final class KeyValueRestore {
  /** What holds the state. */
  public interface Target {
    /** Opens version {@code version} of the partition's own checkpoint, or an empty state when it is negative. */
    void restore(long version);

    /** Adds the entries of version {@code version} of another partition's {@code store} that this one owns. */
    void importFrom(StateStore store, long version);
  }

  private boolean gathering;

  /** Restores version {@code version} from {@code store}, the partition's own or one of the previous layout's. */
  public void restore(Target target, StateStore store, long version) {
    if (store.home().equals(store.directory())) {
      target.restore(version);
      return;
    }
    if (!gathering) {
      target.restore(-1);
      gathering = true;
    }
    target.importFrom(store, version);
  }
}
