package io.freshet.exec.batch;

import java.util.List;
import java.util.function.Consumer;

/**
 * Building Arrow vectors without leaks: when making or filling one fails (most often at the memory limit), the
 * vectors already made are closed before the error goes on, so the allocator they came from can close.
 */
public final class Owned {
  private Owned() {
  }

  /** Runs {@code build}, which adds what it makes to {@code made}; if it fails, closes all of {@code made}. */
  public static void orClose(List<? extends AutoCloseable> made, Runnable build) {
    try {
      build.run();
    } catch (RuntimeException | Error e) {
      for (AutoCloseable c : made) {
        close(c, e);
      }
      throw e;
    }
  }

  /** Runs {@code fill} on {@code vector}; if it fails, closes the vector. */
  public static <V extends AutoCloseable> V orClose(V vector, Consumer<V> fill) {
    try {
      fill.accept(vector);
      return vector;
    } catch (RuntimeException | Error e) {
      close(vector, e);
      throw e;
    }
  }

  private static void close(AutoCloseable c, Throwable failure) {
    try {
      c.close();
    } catch (Exception suppressed) {
      failure.addSuppressed(suppressed);
    }
  }
}
