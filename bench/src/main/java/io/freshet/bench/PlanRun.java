package io.freshet.bench;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.streaming.StateOperatorProgress;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The operators of a planned query in one partition, driven as the engine drives them but on the benchmark's
 * thread: batches of a source pushed through the nodes that read them, each node's end of batch with the watermark
 * it sees, and the state of its stateful nodes checkpointed in stores of their own (so that a new run starts empty).
 */
final class PlanRun implements AutoCloseable {
  private final StreamPlan plan;
  private final Operator[] operators;
  private final StateStore[] stores;

  /** Makes the operators, their state kept by {@code backend} under a new directory in {@code directory}. */
  PlanRun(StreamPlan plan, StateBackend backend, BufferAllocator allocator, Path directory) {
    this.plan = plan;
    this.operators = new Operator[plan.size()];
    this.stores = new StateStore[plan.size()];
    LateRows late = new LateRows();
    long run = System.nanoTime();
    for (PlanNode node : plan.nodes()) {
      operators[node.id()] = node.factory().create(new OperatorContext(allocator, late, node.id(), 0, backend));
      if (operators[node.id()] instanceof StatefulOperator s) {
        stores[node.id()] = new StateStore(directory.resolve("n" + node.id() + "-" + run), node.factory().kind(),
            allocator);
        s.restoreState(stores[node.id()], -1);
      }
    }
  }

  /** A micro-batch begins with the query's watermark {@code watermark}. */
  void startBatch(long watermark) {
    for (PlanNode node : plan.nodes()) {
      operators[node.id()].startBatch(plan.inputWatermark(node.id(), watermark));
    }
  }

  /** Pushes a batch of source or node {@code id} into the nodes that read it; returns the rows the root gave. */
  long push(int id, Batch batch) {
    long out = id == plan.root() ? batch.rowCount() : 0;
    for (PlanNode node : plan.nodes()) {
      for (int i = 0; i < node.inputs().size(); i++) {
        if (node.inputs().get(i) == id) {
          for (Batch b : operators[node.id()].process(i, batch)) {
            out += emit(node.id(), b);
          }
        }
      }
    }
    return out;
  }

  /** The micro-batch's input is done and the query's watermark is {@code watermark}; returns the rows the root gave. */
  long finishBatch(long watermark) {
    long out = 0;
    for (PlanNode node : plan.nodes()) {
      for (Batch b : operators[node.id()].finishBatch(plan.inputWatermark(node.id(), watermark))) {
        out += emit(node.id(), b);
      }
    }
    return out;
  }

  /** Checkpoints the state of every stateful node as version {@code version}. */
  void commit(long version) {
    for (PlanNode node : plan.nodes()) {
      if (operators[node.id()] instanceof StatefulOperator s) {
        s.commitState(stores[node.id()], version);
      }
    }
  }

  /** The figures of the last stateful node, and its bytes of heap state in {@code heapBytes[0]}. */
  StateOperatorProgress lastState(long[] heapBytes) {
    StateOperatorProgress last = null;
    for (Operator op : operators) {
      if (op instanceof StatefulOperator s) {
        last = s.progress();
        heapBytes[0] = s.heapStateBytes();
      }
    }
    return last;
  }

  private long emit(int id, Batch batch) {
    try (batch) {
      return push(id, batch);
    }
  }

  @Override
  public void close() {
    for (Operator op : operators) {
      if (op != null) {
        op.close();
      }
    }
  }
}
