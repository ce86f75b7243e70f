package io.freshet.exec.plan;

/**
 * What the rows of a plan node's output mean, as Flink's changelog modes do: rows that are only ever added, or a
 * changelog whose rows add or take back rows. An update-mode sink reads a changelog as upserts by the plan's
 * {@link StreamPlan#upsertKey() key} and deletes.
 */
public enum ChangelogMode {
  /** Every row is final: an append-only stream. */
  INSERT_ONLY,
  /**
   * Each row comes with its {@link io.freshet.exec.batch.RowKind kind}: +I adds a row, -U takes back the row
   * that the +U after it replaces, -D takes a row back for good.
   */
  RETRACT;

  /** The text EXPLAIN shows. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
