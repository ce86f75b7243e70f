package io.freshet.exec.plan;

import io.freshet.exec.operator.Combiner;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.types.RowSchema;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The plan-time description of an operator: immutable, holding only what planning decided, shared by every
 * partition and every run of a query. The runtime calls {@link #create} once per partition per run.
 */
public interface OperatorFactory {

  /** A new operator for one partition of one run. */
  Operator create(OperatorContext context);

  /** A short lower-case name, for allocators, state directories and errors, e.g. {@code aggregate}. */
  String kind();

  /** One line for EXPLAIN, e.g. {@code Calc(filter=[...], project=[...])}; stable, as golden tests compare it. */
  String describe();

  /**
   * {@link #describe()} with each input column written as {@code column} names it (what it means, traced to the
   * sources), so that a change of the plan that only moves columns leaves it as it was: the fingerprint of a
   * stateful node's checkpointed state. By default the EXPLAIN line as it is.
   */
  default String describe(IntFunction<String> column) {
    return describe();
  }

  /**
   * Whether, with several inputs, it numbers their columns one after the other (a join: the left input's, then the
   * right's) in its expressions and its output, rather than each input having the same columns (a union).
   */
  default boolean concatenatesInputs() {
    return false;
  }

  /** The schema of the rows it emits. */
  RowSchema outputSchema();

  /** How many inputs it reads: 1, or 2 for a join or union. */
  default int inputCount() {
    return 1;
  }

  /** Whether it keeps state across micro-batches (and so a state directory in the checkpoint). */
  default boolean stateful() {
    return false;
  }

  /**
   * How far, in milliseconds, the event times of the rows it emits may lag behind the watermark in force for its
   * input (a join emits a pair when the later row comes, and the earlier row's time may be older): the nodes
   * after it see the watermark held back by this much, as Flink holds back an interval join's output watermark,
   * so that a window after it does not take its rows for late ones. 0 for an operator whose rows keep up.
   */
  default long watermarkDelayMs() {
    return 0;
  }

  /**
   * For a node that follows processing time, the first processing time after {@code timeMs} at which one of its
   * windows ends (a window assignment's next boundary), or {@link Long#MAX_VALUE} when it sets no such time.
   */
  default long processingTimerAfter(long timeMs) {
    return Long.MAX_VALUE;
  }

  /** Whether it drops rows older than the watermark; the rows it drops have its input's schema. */
  default boolean dropsLateRows() {
    return false;
  }

  /**
   * A combiner that pre-aggregates this node's input in each sending partition before a hash exchange, or null when
   * the node's input is sent as it is (the default). The node's operator must then be a {@link Combiner.Target}.
   */
  default Combiner combiner(BufferAllocator allocator) {
    return null;
  }

  /**
   * The columns of its output that identify a row of the result, by which an update replaces an earlier row,
   * given those of its inputs (null where an input has none); null when it has none. An aggregation's key is its
   * GROUP BY; a projection keeps the key where it keeps its columns.
   */
  default int[] upsertKey(List<int[]> inputKeys) {
    return null;
  }

  /** What its output rows mean, given what its inputs' rows mean; a stateless operator keeps its input's. */
  default ChangelogMode changelogMode(List<ChangelogMode> inputs) {
    return inputs.get(0);
  }
}
