package io.freshet.exec.operator;

import io.freshet.exec.state.StateStore;
import io.freshet.streaming.StateOperatorProgress;

/**
 * An operator that keeps state across micro-batches. At start the engine restores the state of the last
 * committed batch; after the sink has committed batch N, the engine has each stateful operator write version N
 * before it writes the commit log entry, so a restart finds state and output in step.
 */
public interface StatefulOperator extends Operator {

  /**
   * Restores the state after batch {@code version}, or keeps the empty state when {@code version < 0}. After a
   * change in the number of partitions it is called once per store that held some of this partition's keys, and
   * adds what each holds.
   */
  void restoreState(StateStore store, long version);

  /** Writes the state after batch {@code version} (the batch just processed). */
  void commitState(StateStore store, long version);

  /** This operator's figures for the batch just processed. */
  StateOperatorProgress progress();

  /**
   * The bytes of state it holds on the Java heap, outside Arrow buffers (key tables and accumulators), which the
   * runtime counts against the session's memory limit.
   */
  default long heapStateBytes() {
    return 0;
  }

  /**
   * The columns of its state files that hold the key by which its input is distributed, in the order of the
   * plan node's distribution keys, so that a restart with another number of partitions can give each partition
   * the state of its key groups; null when its state cannot be split by key.
   */
  default int[] stateKeyColumns() {
    return null;
  }
}
