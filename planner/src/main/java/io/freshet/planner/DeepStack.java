package io.freshet.planner;

import io.freshet.streaming.FreshetException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Runs statement work on a thread with a large stack. Calcite's parser, validator and converter recurse once or
 * more per level of nesting, so a generated statement with thousands of terms ({@code a + 1 + 1 ...}, long
 * {@code AND} chains, deep parentheses) would overflow an ordinary thread's stack; beyond what this stack holds,
 * the statement is refused with a message (see {@link SqlParsers#tooDeep}).
 */
public final class DeepStack {
  /** Reserved, not committed: the memory is taken only as deep as the recursion goes. */
  private static final long STACK_BYTES = 512L << 20;
  private static final ThreadLocal<Boolean> DEEP = ThreadLocal.withInitial(() -> false);

  private DeepStack() {
  }

  /** The value of {@code work}, computed on a thread with a large stack (this one, if it is such a thread). */
  public static <T> T call(Supplier<T> work) {
    if (DEEP.get()) {
      return work.get();
    }
    FutureTask<T> task = new FutureTask<>(() -> {
      DEEP.set(true);
      return work.get();
    });
    Thread thread = new Thread(null, task, "freshet-planner", STACK_BYTES);
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FreshetException.user("Interrupted while the statement was planned", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof StackOverflowError) {
        throw SqlParsers.tooDeep(cause);
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw FreshetException.internal("Planning failed: " + cause, cause);
    }
  }
}
