package io.freshet.exec.engine;

import io.freshet.streaming.FreshetException;
import java.util.function.Supplier;
import org.apache.arrow.memory.OutOfMemoryException;

/**
 * Runs one step of a query's batch (a source read, an operator, the sink, a state checkpoint) so that an Arrow
 * allocation beyond the memory limit becomes an error that names the step and the query and says what to do,
 * instead of a bare OutOfMemoryException.
 */
final class Stage {
  private final String queryLabel;
  private final long memoryLimit;

  Stage(String queryLabel, long memoryLimit) {
    this.queryLabel = queryLabel;
    this.memoryLimit = memoryLimit;
  }

  <T> T run(String step, Supplier<T> work) {
    try {
      return work.get();
    } catch (OutOfMemoryException e) {
      throw new FreshetException(FreshetException.Kind.RESOURCES, "Out of memory in " + step + " of query "
          + queryLabel + ": " + e.getMessage() + ". The session's Arrow memory limit is " + memoryLimit
          + " bytes; raise it (FreshetSession.builder().memoryLimit(...)) or read smaller batches", e);
    }
  }

  void run(String step, Runnable work) {
    run(step, () -> {
      work.run();
      return null;
    });
  }

  /**
   * The error for an operator whose heap state of {@code bytes} would pass the memory limit, with {@code counted}
   * bytes of the query's memory in use besides.
   */
  FreshetException stateOverLimit(String operator, long bytes, long counted) {
    return new FreshetException(FreshetException.Kind.RESOURCES, "The state of " + operator + " of query " + queryLabel
        + " has grown to " + bytes + " bytes on the heap, which with the " + counted + " bytes of Arrow memory the "
        + "session holds besides passes its memory limit of " + memoryLimit + " bytes; raise it "
        + "(FreshetSession.builder().memoryLimit(...)), aggregate over a window (its state goes when the window "
        + "closes), or keep running totals in RocksDB (SET 'state-store' = 'rocksdb')");
  }

  String queryLabel() {
    return queryLabel;
  }
}
