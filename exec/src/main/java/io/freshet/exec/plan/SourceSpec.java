package io.freshet.exec.plan;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.types.RowSchema;

/**
 * A leaf of a plan: the rows of one named input. The name keys its offsets in the checkpoint and binds it to the
 * source the runtime opens.
 *
 * @param id its id in the plan (sources and operator nodes share one numbering)
 * @param watermark the TIMESTAMP expression over the source's rows whose largest value is the stream's watermark
 *     (the DDL's {@code WATERMARK FOR ts AS ts - INTERVAL ...}), or null when it has none
 * @param watermarkText how the DDL wrote the watermark, for EXPLAIN, or null
 * @param idleTimeoutMs after this long without rows the input is idle and stops holding back the watermark (0:
 *     never)
 */
public record SourceSpec(int id, String name, RowSchema schema, boolean bounded, Expr watermark,
    String watermarkText, long idleTimeoutMs) {

  /** The EXPLAIN line. */
  public String describe() {
    return "Scan(" + name + (bounded ? ", bounded" : ", unbounded")
        + (watermarkText == null ? "" : ", watermark " + watermarkText) + ")";
  }
}
