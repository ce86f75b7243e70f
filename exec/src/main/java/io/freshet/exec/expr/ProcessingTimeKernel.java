package io.freshet.exec.expr;

import io.freshet.exec.batch.Values;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import org.apache.arrow.vector.FieldVector;

/**
 * {@code PROCTIME()}: the micro-batch's processing time, one value that stands for every row of the batch (as
 * Spark's {@code current_timestamp()} within a micro-batch). The engine records the batch's time in its offset log,
 * so a batch run again after a failure gives the same values.
 */
final class ProcessingTimeKernel implements VectorExpr {

  @Override
  public TypeKind type() {
    return TypeKind.TIMESTAMP;
  }

  @Override
  public boolean isConstant() {
    return true;
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    if (ctx.processingTimeMs() == EvalContext.NO_PROCESSING_TIME) {
      throw FreshetException.user("PROCTIME() can be read only in the SELECT or WHERE of a stream (a projection of "
          + "its micro-batch), not over a static table or in a join condition: add it in a subquery over the stream");
    }
    FieldVector v = Vectors.allocate(TypeKind.TIMESTAMP, 1, ctx.allocator());
    Values.set(v, TypeKind.TIMESTAMP, 0, ctx.processingTimeMs());
    v.setValueCount(1);
    return v;
  }
}
