package io.freshet.exec.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for crash tests: with the system property {@code freshet.test.pauseAt=<point>:<n>}, the
 * {@code n}-th time the engine reaches {@code point} it prints {@code FRESHET-PAUSED <point>} to standard error
 * and stops there for good, so that a test can kill the process (SIGKILL) at exactly that moment. The points are
 * {@code sink-write} (a batch's output written, not yet committed), {@code sink-committed} (the sink committed
 * the batch, the query's commit log does not say so yet) and {@code state-checkpoint} (a state file
 * written to its temporary name, not yet renamed into place). A DStream program's batch reaches
 * {@code sink-write} when its output operations have run, and {@code sink-committed} when its state is in the
 * checkpoint too, both before the commit log holds the batch. Without the property this does nothing.
 */
public final class CrashPoint {
  private static final String SETTING = System.getProperty("freshet.test.pauseAt");
  private static final AtomicInteger HITS = new AtomicInteger();

  private CrashPoint() {
  }

  public static void reached(String point) {
    if (SETTING == null || !SETTING.startsWith(point + ":")) {
      return;
    }
    int n = Integer.parseInt(SETTING.substring(point.length() + 1));
    if (HITS.incrementAndGet() != n) {
      return;
    }
    // Straight to the process's standard error: a program may have pointed System.err elsewhere (the shell's log).
    java.io.PrintStream err = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
    err.println("FRESHET-PAUSED " + point);
    Object never = new Object();
    synchronized (never) {
      while (true) {
        try {
          never.wait();
        } catch (InterruptedException e) {
          // keep holding: only the kill ends this
        }
      }
    }
  }
}
