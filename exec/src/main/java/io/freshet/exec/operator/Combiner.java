package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import java.util.List;

/**
 * Folds the rows a partition sends to an aggregation through a hash exchange into partial aggregates first, as
 * Spark's partial aggregation and Flink's local aggregation do, so that the exchange carries a row per group and
 * partition instead of every input row, and the folding is done by the partition that read the rows. The
 * aggregation then merges the partial rows ({@link Target}). A combiner holds its groups for one stage of one
 * micro-batch at most.
 */
public interface Combiner extends AutoCloseable {

  /** Folds {@code rows} (the aggregation's input) into the partial aggregates; the caller keeps the batch. */
  void add(Batch rows);

  /** How many groups it holds. */
  int groups();

  /**
   * The partial rows of the groups it holds, each its key columns then its aggregates' state, and forgets them; null
   * when it holds none. The caller owns the batch.
   */
  Batch take();

  /**
   * The columns of a partial row (its key columns lead it) that the exchange hashes, in the order it hashes them: as
   * the aggregation's input rows are hashed.
   */
  int[] hashKeys();

  @Override
  void close();

  /** An operator that can read partial rows from a {@link Combiner} instead of its input rows. */
  interface Target {
    /** Merges the partial rows into the operator's groups; like {@link Operator#process}, may return rows. */
    List<Batch> processCombined(Batch partial);
  }
}
