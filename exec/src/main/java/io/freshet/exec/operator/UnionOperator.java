package io.freshet.exec.operator;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.types.RowSchema;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** UNION ALL of two inputs with the same columns: each input batch is passed on as a zero-copy view. */
public final class UnionOperator implements Operator {

  /** The plan-time description: the rows of both inputs, of {@code outputSchema}. */
  public record Spec(RowSchema outputSchema) implements OperatorFactory {
    @Override
    public UnionOperator create(OperatorContext context) {
      return new UnionOperator(context.allocator());
    }

    @Override
    public String kind() {
      return "union";
    }

    @Override
    public int inputCount() {
      return 2;
    }

    @Override
    public String describe() {
      return "UnionAll";
    }
  }

  private final BufferAllocator allocator;

  private UnionOperator(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  @Override
  public List<Batch> process(Batch input) {
    return List.of(input.share(allocator));
  }
}
