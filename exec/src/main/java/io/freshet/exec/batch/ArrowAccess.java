package io.freshet.exec.batch;

import io.freshet.streaming.FreshetException;

/**
 * Apache Arrow reads direct buffers through {@code java.nio}'s internals, which Java 17 opens only with
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}. Without it the first stateful batch fails deep inside a query
 * thread; a session checks at its start instead and says what to add.
 */
public final class ArrowAccess {
  /** The JVM option Arrow needs. */
  public static final String OPTION = "--add-opens=java.base/java.nio=ALL-UNNAMED";

  private ArrowAccess() {
  }

  /** Throws a message naming the option unless {@code java.nio} is open to Freshet's classes. */
  public static void require(String what) {
    if (!java.nio.ByteBuffer.class.getModule().isOpen("java.nio", ArrowAccess.class.getModule())) {
      throw FreshetException.user(what + " needs the JVM option " + OPTION + " (Apache Arrow reads direct buffers "
          + "through java.nio). Add it to the java command line (java " + OPTION + " ...), to Maven's surefire "
          + "argLine for tests, or as 'Add-Opens: java.base/java.nio' in the manifest of a jar run with java -jar");
    }
  }
}
