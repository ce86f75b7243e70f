package io.freshet.exec.plan;

/**
 * What the rows of a plan node's output mean, as Flink's changelog modes do: rows that are only ever added, or
 * rows that replace earlier rows of the same key.
 */
public enum ChangelogMode {
  /** Every row is final: an append-only stream. */
  INSERT_ONLY,
  /** A row replaces the row of the same key emitted before (an update), or is new. */
  UPSERT,
  /** Rows come with a kind (+I, -U, +U, -D) that retracts or adds. */
  RETRACT;

  /** The text EXPLAIN shows. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
