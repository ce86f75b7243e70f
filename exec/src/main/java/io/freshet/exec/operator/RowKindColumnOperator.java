package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.RowKind;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Shows the changelog as rows: a first column {@code op} holding each row's kind (+I, -U, +U, -D), then the row,
 * as Flink's SQL client does in its changelog result mode ({@code SET 'changelog-mode' = 'true'}). Its output is
 * an ordinary stream of rows, so every sink takes it; an insert-only input gives +I on every row.
 */
public final class RowKindColumnOperator implements Operator {

  /** The column that holds the kind. */
  public static final String COLUMN = "op";

  /** The plan-time description: the rows' schema after the new first column. */
  public record Spec(RowSchema outputSchema) implements OperatorFactory {

    /** Over rows of {@code input}. */
    public static Spec over(RowSchema input) {
      List<Column> columns = new ArrayList<>();
      columns.add(new Column(COLUMN, TypeKind.VARCHAR, false));
      columns.addAll(input.columns());
      return new Spec(new RowSchema(columns));
    }

    @Override
    public Operator create(OperatorContext context) {
      return new RowKindColumnOperator(outputSchema, context.allocator());
    }

    @Override
    public String kind() {
      return "op";
    }

    @Override
    public String describe() {
      return "RowKindColumn(" + COLUMN + ")";
    }

    @Override
    public ChangelogMode changelogMode(List<ChangelogMode> inputs) {
      return ChangelogMode.INSERT_ONLY;
    }
  }

  private static final byte[][] LABELS = new byte[4][];

  static {
    for (int k = 0; k < LABELS.length; k++) {
      LABELS[k] = RowKind.label(k).getBytes(StandardCharsets.UTF_8);
    }
  }

  private final RowSchema outputSchema;
  private final BufferAllocator allocator;

  private RowKindColumnOperator(RowSchema outputSchema, BufferAllocator allocator) {
    this.outputSchema = outputSchema;
    this.allocator = allocator;
  }

  @Override
  public List<Batch> process(Batch input) {
    int n = input.rowCount();
    boolean kinds = RowKind.present(input);
    List<FieldVector> vectors = new ArrayList<>();
    try (Batch view = input.share(allocator)) {
      VarCharVector op = new VarCharVector(COLUMN, allocator);
      vectors.add(op);
      op.allocateNew(n * 2L, Math.max(n, 1));
      for (int i = 0; i < n; i++) {
        op.set(i, LABELS[kinds ? RowKind.kind(input, i) : RowKind.INSERT]);
      }
      op.setValueCount(n);
      int columns = kinds ? view.columnCount() - 1 : view.columnCount();
      for (int c = 0; c < columns; c++) {
        vectors.add(view.detach(c));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return List.of(Batch.of(outputSchema, vectors, n));
  }
}
