package io.freshet.exec.aggregate;

import io.freshet.exec.aggregate.accumulator.Accumulator;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * The output rows of a list of groups, in the spec's output schema: each key, stored or computed from the close
 * key, then each aggregate's result.
 */
final class AggregateOutput {
  private final HashAggregateOperator.Spec spec;
  private final GroupedAggregation grouped;
  private final BufferAllocator allocator;

  AggregateOutput(HashAggregateOperator.Spec spec, GroupedAggregation grouped, BufferAllocator allocator) {
    this.spec = spec;
    this.grouped = grouped;
    this.allocator = allocator;
  }

  /** Adds to {@code out} a batch of the rows of {@code list}, or nothing when it is empty. */
  void emit(int[] list, List<Batch> out) {
    int n = list.length;
    if (n == 0) {
      return;
    }
    Accumulator[] accumulators = grouped.accumulators();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      int s = 0;
      for (int k = 0; k < spec.keys().length; k++) {
        long delta = spec.derivedFromClose()[k];
        vectors.add(delta == HashAggregateOperator.NOT_DERIVED ? grouped.table().toVector(s++, list, n, allocator)
            : derived(list, n, delta));
      }
      for (int a = 0; a < spec.calls().size(); a++) {
        vectors.add(accumulators[a].result(list, n, spec.outputSchema().type(spec.keys().length + a), allocator));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    out.add(Batch.of(spec.outputSchema(), vectors, n));
  }

  /** A window key computed from the close key: its value plus {@code delta}. */
  private FieldVector derived(int[] list, int n, long delta) {
    FieldVector v = Vectors.allocate(TypeKind.TIMESTAMP, n, allocator);
    Vectors.setAllValid(v, n);
    long data = Vectors.data(v);
    for (int i = 0; i < n; i++) {
      MemoryUtil.putLong(data + ((long) i << 3), grouped.closeKey(list[i]) + delta);
    }
    v.setValueCount(n);
    return v;
  }
}
