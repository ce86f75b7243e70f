package io.freshet.exec.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Fault injection for crash tests: with the system property {@code freshet.test.pauseAt=<point>:<n>}, the
 * {@code n}-th time the engine reaches {@code point} it prints {@code FRESHET-PAUSED <point>} to standard error
 * and stops there for good, so that a test can kill the process (SIGKILL) at exactly that moment. The points are
 * {@code sink-write} (a batch's output written, not yet committed), {@code sink-committed} (the sink committed
 * the batch, the query's commit log does not say so yet) and {@code state-checkpoint} (a state file
 * written to its temporary name, not yet renamed into place). A DStream program's batch reaches
 * {@code sink-write} when its output operations have run, and {@code sink-committed} when its state is in the
 * checkpoint too, both before the commit log holds the batch. Under the continuous trigger a batch's
 * checkpoint is written in the background and reaches {@code async-state-written} (its state files on disk, its
 * commit entry not yet), and the query's thread reaches {@code checkpoint-await} when it waits for a checkpoint
 * still in flight. Without the property this does nothing, unless a test in the same process set a
 * {@linkplain #setHook hook}.
 */
public final class CrashPoint {
  private static final String SETTING = System.getProperty("freshet.test.pauseAt");
  private static final AtomicInteger HITS = new AtomicInteger();
  private static volatile Consumer<String> hook;

  private CrashPoint() {
  }

  /**
   * For tests that run the query in their own process: {@code hook} is called with every point reached, on the
   * thread that reaches it, and may block it or throw to simulate a crash there; null removes it.
   */
  public static void setHook(Consumer<String> hook) {
    CrashPoint.hook = hook;
  }

  public static void reached(String point) {
    Consumer<String> h = hook;
    if (h != null) {
      h.accept(point);
    }
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
