package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.state.StateStore;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One partition of a running plan: an operator per plan node, made by its factory, and the edges between them.
 * A source's batch is pushed to the nodes that read it, each node's output to the nodes that read it, and the
 * root's output to the sink, depth first, so that a batch is released as soon as everything downstream has seen
 * it. Stateful nodes keep their state in {@code state/<node id>/<partition>} of the checkpoint.
 */
final class Pipeline implements AutoCloseable {
  /** Where a node's (or source's) output goes: {@code node}'s input {@code input}. */
  private record Edge(int node, int input) {
  }

  private final StreamPlan plan;
  private final int partition;
  private final Stage stage;
  /** By id: the operator of each node (null for sources), and the nodes that read it. */
  private final Operator[] operators;
  private final List<List<Edge>> readers = new ArrayList<>();
  private final StateStore[] stores;
  private final String sinkLabel;
  private BatchWriter sink;
  private long outputRows;

  /**
   * Makes the operators of {@code plan} for partition {@code partition} of {@code run}. Rows dropped as late go to
   * {@code lateTarget} (null: they are only counted); state stores live under {@code checkpoint}. Errors name the
   * sink as {@code sinkDescription}.
   */
  Pipeline(StreamPlan plan, int partition, RunContext run, Checkpoint checkpoint,
      OperatorContext.StateStoreKind stateStore, Consumer<Batch> lateTarget, Stage stage, String sinkDescription) {
    this.plan = plan;
    this.sinkLabel = sinkDescription + " sink";
    this.partition = partition;
    this.stage = stage;
    this.operators = new Operator[plan.size()];
    this.stores = new StateStore[plan.size()];
    for (int i = 0; i < plan.size(); i++) {
      readers.add(new ArrayList<>());
    }
    LateRows[] late = lateCounters(plan, lateTarget);
    try {
      for (PlanNode node : plan.nodes()) {
        for (int i = 0; i < node.inputs().size(); i++) {
          readers.get(node.inputs().get(i)).add(new Edge(node.id(), i));
        }
        String kind = node.factory().kind();
        operators[node.id()] = node.factory().create(new OperatorContext(
            run.childAllocator("operator-" + node.id() + "-" + kind), late[node.id()], node.id(), partition,
            stateStore));
        if (node.factory().stateful()) {
          stores[node.id()] = new StateStore(checkpoint.stateDirectory(node.id(), partition), "operator "
              + node.id() + " (" + operators[node.id()].name() + ") of query " + stage.queryLabel(),
              run.childAllocator("state-" + node.id()));
        }
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * One late-row counter per stateful node, shared with the stateless nodes that feed it (a window that drops
   * rows before its aggregation), so that the stateful node reports every row dropped on its way; a node that
   * feeds no stateful node has a counter of its own.
   */
  private static LateRows[] lateCounters(StreamPlan plan, Consumer<Batch> target) {
    LateRows[] late = new LateRows[plan.size()];
    List<PlanNode> nodes = plan.nodes();
    int[] readerCount = new int[plan.size()];
    int[] soleReader = new int[plan.size()];
    for (PlanNode node : nodes) {
      for (int input : node.inputs()) {
        readerCount[input]++;
        soleReader[input] = node.id();
      }
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      PlanNode node = nodes.get(i);
      int id = node.id();
      boolean inheritsFromReader = !node.factory().stateful() && readerCount[id] == 1 && late[soleReader[id]] != null;
      late[id] = inheritsFromReader ? late[soleReader[id]] : new LateRows(target);
    }
    return late;
  }

  /** Restores every stateful node's state after batch {@code version} (none: {@code version < 0}). */
  void restoreState(long version) {
    for (PlanNode node : plan.nodes()) {
      if (stores[node.id()] != null) {
        StatefulOperator op = (StatefulOperator) operators[node.id()];
        stage.run("restoring the state of " + op.name(), () -> op.restoreState(stores[node.id()], version));
      }
    }
  }

  /** A micro-batch begins: its rows go to {@code sink} and are late when older than {@code watermark}. */
  void startBatch(long watermark, BatchWriter sink) {
    this.sink = sink;
    this.outputRows = 0;
    for (PlanNode node : plan.nodes()) {
      operators[node.id()].startBatch(watermark);
    }
  }

  /** Pushes a batch of the source with id {@code source} through the plan; the caller keeps the batch. */
  void push(int source, Batch batch) {
    emit(source, batch);
  }

  /** The batch's input is done: each node, in order, emits what {@code watermark} makes final. */
  void finishBatch(long watermark) {
    for (PlanNode node : plan.nodes()) {
      Operator operator = operators[node.id()];
      List<Batch> out = stage.run(label(node.id()), () -> operator.finishBatch(watermark));
      forEachClosing(out, b -> emit(node.id(), b));
    }
  }

  /** Rows the sink received in this batch. */
  long outputRows() {
    return outputRows;
  }

  /** Writes version {@code version} of every stateful node's state; returns their figures for the batch. */
  List<StateOperatorProgress> commitState(long version) {
    List<StateOperatorProgress> progress = new ArrayList<>();
    for (PlanNode node : plan.nodes()) {
      if (stores[node.id()] != null) {
        StatefulOperator op = (StatefulOperator) operators[node.id()];
        stage.run("checkpointing the state of " + op.name(), () -> op.commitState(stores[node.id()], version));
        progress.add(op.progress());
      }
    }
    return progress;
  }

  private void emit(int from, Batch batch) {
    if (from == plan.root()) {
      outputRows += batch.rowCount();
      stage.run(sinkLabel, () -> sink.write(batch));
    }
    for (Edge edge : readers.get(from)) {
      Operator operator = operators[edge.node()];
      List<Batch> out = stage.run(label(edge.node()), () -> operator.process(edge.input(), batch));
      forEachClosing(out, b -> emit(edge.node(), b));
    }
  }

  private String label(int id) {
    return "operator " + id + " (" + operators[id].name() + ")" + (partition == 0 ? "" : " of partition "
        + partition);
  }

  /** Hands each batch on and closes it; when one fails, the batches after it are closed too. */
  static void forEachClosing(List<Batch> batches, Consumer<Batch> next) {
    for (int i = 0; i < batches.size(); i++) {
      try (Batch out = batches.get(i)) {
        next.accept(out);
      } catch (RuntimeException | Error e) {
        for (int j = i + 1; j < batches.size(); j++) {
          batches.get(j).close();
        }
        throw e;
      }
    }
  }

  /** Closes the operators; the first failure is thrown after all were closed. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (Operator operator : operators) {
      if (operator == null) {
        continue;
      }
      try {
        operator.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
