package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.VectorExpr;
import io.freshet.exec.expr.codegen.CalcCode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * Filter and projection in one pass (Calcite's Calc): the condition narrows the batch to a selection vector,
 * then each output column is computed over the selected rows only, giving a compacted batch. Columns passed
 * through unfiltered are zero-copy views of the input. Over a changelog, each row keeps its kind: a filter that
 * drops a -U row drops the row it takes back, as it dropped that row when it was added. The condition and the
 * projections are compiled when the operator is created ({@link CalcCode}): to one generated loop where the code
 * generator supports them, to the kernels elsewhere.
 */
public final class CalcOperator implements Operator {

  /** The plan-time description: immutable, shareable, makes one operator per query run. */
  public record Spec(Expr condition, List<Expr> projections, RowSchema outputSchema) implements OperatorFactory {
    public Spec {
      projections = List.copyOf(projections);
    }

    @Override
    public CalcOperator create(OperatorContext context) {
      return new CalcOperator(this, context.allocator());
    }

    @Override
    public String kind() {
      return "calc";
    }

    /**
     * The input's key where every column of it is projected as it is, or cast without losing values (to a wider
     * number, or to text); a narrowing cast could give two keys one value, so it drops the key.
     */
    @Override
    public int[] upsertKey(List<int[]> inputKeys) {
      int[] in = inputKeys.get(0);
      if (in == null) {
        return null;
      }
      int[] out = new int[in.length];
      for (int k = 0; k < in.length; k++) {
        out[k] = -1;
        for (int p = 0; p < projections.size() && out[k] < 0; p++) {
          Expr e = projections.get(p);
          if (e instanceof Expr.Call call && call.op() == Expr.Op.CAST && lossless(call.args().get(0).type(),
              call.type())) {
            e = call.args().get(0);
          }
          if (e instanceof Expr.ColumnRef ref && ref.index() == in[k]) {
            out[k] = p;
          }
        }
        if (out[k] < 0) {
          return null;
        }
      }
      return out;
    }

    private static boolean lossless(TypeKind from, TypeKind to) {
      return from == to || to == TypeKind.VARCHAR
          || from == TypeKind.INT && (to == TypeKind.BIGINT
          || to == TypeKind.DOUBLE);
    }

    @Override
    public String describe() {
      return "Calc(" + (condition == null ? "" : "filter=[" + condition + "], ") + "project=" + projections + ")";
    }
  }

  /** The filter and projections: generated code where it supports them, the kernels elsewhere. */
  private final CalcCode code;
  private final RowSchema outputSchema;
  private final BufferAllocator allocator;
  private int[] selection = new int[0];
  /** The row-kind column of a changelog input, carried through; made when the first such batch comes. */
  private VectorExpr kind;
  private RowSchema changelogSchema;
  /** The micro-batch's processing time, which PROCTIME() gives. */
  private long processingTime = EvalContext.NO_PROCESSING_TIME;

  private CalcOperator(Spec spec, BufferAllocator allocator) {
    this.code = CalcCode.compile(spec.condition(), spec.projections());
    this.outputSchema = spec.outputSchema();
    this.allocator = allocator;
  }

  @Override
  public void startBatch(long watermarkMs, long processingTimeMs) {
    this.processingTime = processingTimeMs;
  }

  @Override
  public List<Batch> process(Batch input) {
    EvalContext context = EvalContext.all(input, allocator).at(processingTime);
    if (code.filters()) {
      if (selection.length < input.rowCount()) {
        selection = new int[input.rowCount()];
      }
      context = code.filter(context, selection);
      if (context.count() == 0) {
        return List.of();
      }
    }
    List<FieldVector> columns = new ArrayList<>(code.project(context));
    try {
      if (RowKind.present(input)) {
        if (kind == null) {
          kind = VectorExpr.compile(new Expr.ColumnRef(input.columnCount() - 1, TypeKind.INT));
          changelogSchema = RowKind.withKind(outputSchema);
        }
        columns.add(kind.evaluate(context));
      }
    } catch (RuntimeException e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
    return List.of(Batch.of(RowKind.present(input) ? changelogSchema : outputSchema, columns, context.count()));
  }
}
