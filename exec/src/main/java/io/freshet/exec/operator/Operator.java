package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import java.util.List;

/**
 * An operator of a query's plan for one partition, made by its {@link io.freshet.exec.plan.OperatorFactory} and
 * driven by the micro-batch engine. Within one micro-batch the engine calls
 * {@link #process} once per input batch, then {@link #finishBatch} once with the new watermark; it calls
 * {@link #close} once when the query stops. An operator is used by one thread at a time and needs no locks.
 * Input batches stay owned by the caller; returned batches are owned by the caller too.
 */
public interface Operator extends AutoCloseable {

  /** A micro-batch begins; {@code watermarkMs} is the watermark in force for its rows (late rows are older). */
  default void startBatch(long watermarkMs) {
  }

  /**
   * A micro-batch begins at processing time {@code processingTimeMs}, the same for every operator and partition of
   * the batch (and again when the batch runs again after a failure); by default only the watermark matters.
   */
  default void startBatch(long watermarkMs, long processingTimeMs) {
    startBatch(watermarkMs);
  }

  /** Transforms one input batch; may return nothing (all rows filtered, or held in state). */
  List<Batch> process(Batch input);

  /**
   * Transforms one batch of input {@code input} (0, or 1 for the second input of a two-input operator); an
   * operator with one input needs only {@link #process(Batch)}.
   */
  default List<Batch> process(int input, Batch batch) {
    return process(batch);
  }

  /** The micro-batch's input is done: emit what the new watermark makes final. Stateless operators emit nothing. */
  default List<Batch> finishBatch(long watermarkMs) {
    return List.of();
  }

  /**
   * Whether it will emit no more rows whatever comes, as a LIMIT that has emitted its rows: the engine checks it
   * after each micro-batch has committed and ends the query when the plan's result can grow no more. Only an
   * operator whose node runs in one partition may say so, since it must have seen every row.
   */
  default boolean finished() {
    return false;
  }

  /** A short name for errors and progress, e.g. {@code Calc}. */
  default String name() {
    return getClass().getSimpleName().replace("Operator", "");
  }

  /** Releases buffers and state. */
  @Override
  default void close() {
  }
}
