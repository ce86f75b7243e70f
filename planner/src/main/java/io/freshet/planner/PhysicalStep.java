package io.freshet.planner;

import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.window.SessionAggregateOperator;
import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.exec.window.WindowRankOperator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One operator of a physical plan, as the planner describes it. Stateful steps say where the rows they drop as
 * late are counted ({@code lateGroup} ties a window step to the stateful step after it).
 */
public sealed interface PhysicalStep {

  /**
   * Makes the operators of {@code steps} for one run, each with an allocator from {@code allocators} (given a
   * name such as {@code operator-2-aggregate}), and one late-row counter per late group.
   */
  static List<Operator> createAll(List<PhysicalStep> steps,
      java.util.function.Function<String, BufferAllocator> allocators) {
    return createAll(steps, allocators, null);
  }

  /** As above; rows dropped as late go to {@code lateTarget} (null: they are only counted). */
  static List<Operator> createAll(List<PhysicalStep> steps,
      java.util.function.Function<String, BufferAllocator> allocators,
      java.util.function.Consumer<io.freshet.exec.batch.Batch> lateTarget) {
    Map<Integer, LateRows> late = new HashMap<>();
    List<Operator> operators = new java.util.ArrayList<>();
    for (PhysicalStep step : steps) {
      operators.add(step.create(allocators.apply("operator-" + operators.size() + "-" + step.kind()),
          g -> late.computeIfAbsent(g, x -> new LateRows(lateTarget))));
    }
    return operators;
  }

  /** Makes this step's operator for one run; {@code late} gives the late-row counter of a late group. */
  Operator create(BufferAllocator allocator, IntFunction<LateRows> late);

  /** A short name for the operator's allocator. */
  String kind();

  record Calc(CalcOperator.Spec spec) implements PhysicalStep {
    @Override
    public Operator create(BufferAllocator allocator, IntFunction<LateRows> late) {
      return spec.create(allocator);
    }

    @Override
    public String kind() {
      return "calc";
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Calc(");
      if (spec.condition() != null) {
        sb.append("filter=[").append(spec.condition()).append("], ");
      }
      return sb.append("project=").append(spec.projections()).append(")").toString();
    }
  }

  /** One row per piece of a string column: {@code CROSS JOIN UNNEST(SPLIT(s, delimiter))}. */
  record Split(io.freshet.exec.operator.SplitOperator.Spec spec) implements PhysicalStep {
    @Override
    public Operator create(BufferAllocator allocator, IntFunction<LateRows> late) {
      return spec.create(allocator);
    }

    @Override
    public String kind() {
      return "split";
    }

    @Override
    public String toString() {
      return "Split(column=" + spec.column() + ", delimiter='" + spec.delimiter() + "', as " + spec.name() + ")";
    }
  }

  /** TUMBLE or HOP; {@code inputSchema} is the schema of the rows it may drop as late. */
  record Window(WindowAssignOperator.Spec spec, int lateGroup, RowSchema inputSchema) implements PhysicalStep {
    @Override
    public Operator create(BufferAllocator allocator, IntFunction<LateRows> late) {
      return spec.create(allocator, late.apply(lateGroup));
    }

    @Override
    public String kind() {
      return "window";
    }

    @Override
    public String toString() {
      return spec.toString();
    }
  }

  /**
   * A GROUP BY; {@code spec.emit()} is set when the output mode is known. {@code rocksDb}: an unbounded
   * aggregation keeps its state in RocksDB rather than in memory.
   */
  record Aggregate(HashAggregateOperator.Spec spec, int lateGroup, String description, boolean rocksDb)
      implements PhysicalStep {
    public Aggregate(HashAggregateOperator.Spec spec, int lateGroup, String description) {
      this(spec, lateGroup, description, false);
    }

    /** This step with its state in RocksDB when it is an unbounded aggregation (windowed state stays in memory). */
    public Aggregate inRocksDb() {
      return spec.windowed() ? this : new Aggregate(spec, lateGroup, description, true);
    }

    @Override
    public Operator create(BufferAllocator allocator, IntFunction<LateRows> late) {
      return spec.create(allocator, lateGroup < 0 ? null : late.apply(lateGroup), rocksDb);
    }

    @Override
    public String kind() {
      return "aggregate";
    }

    @Override
    public String toString() {
      return rocksDb ? spec + " [state in RocksDB]" : spec.toString();
    }
  }

  record Session(SessionAggregateOperator.Spec spec, int lateGroup, RowSchema inputSchema) implements PhysicalStep {
    @Override
    public Operator create(BufferAllocator allocator, IntFunction<LateRows> late) {
      return spec.create(allocator, late.apply(lateGroup));
    }

    @Override
    public String kind() {
      return "session";
    }

    @Override
    public String toString() {
      return spec.toString();
    }
  }

  record Rank(WindowRankOperator.Spec spec) implements PhysicalStep {
    @Override
    public Operator create(BufferAllocator allocator, IntFunction<LateRows> late) {
      return spec.create(allocator);
    }

    @Override
    public String kind() {
      return "rank";
    }

    @Override
    public String toString() {
      return spec.toString();
    }
  }
}
