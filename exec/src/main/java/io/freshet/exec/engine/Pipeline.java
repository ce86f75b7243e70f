package io.freshet.exec.engine;

import io.freshet.exec.aggregate.KeyGroups;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.operator.Combiner;
import io.freshet.exec.operator.LateRows;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.plan.Distribution;
import io.freshet.exec.plan.OperatorContext;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.state.StateStore;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/**
 * One partition of a running plan: an operator per plan node, made by its factory, and the edges between them.
 * A batch is pushed to the nodes that read it, depth first, so that it is released as soon as everything
 * downstream has seen it. Where a node's input is distributed by key and the query has several partitions, the
 * rows go through the {@link Exchange} instead, and the node runs in the next stage. The root's rows go to the
 * sink (with one partition) or are kept for the caller to write in partition order. Stateful nodes keep their
 * state in {@code state/<node id>/<first>-<last key group>} of the checkpoint.
 */
final class Pipeline implements AutoCloseable {
  /** A combiner sends its partial aggregates on once it holds this many groups, which bounds its memory. */
  private static final int COMBINED_GROUPS = 1 << 16;
  /** Where a node's (or source's) output goes: {@code node}'s input {@code input}. */
  private record Edge(int node, int input) {
  }

  /**
   * A batch of the root's rows kept for the sink, with the number of the source batch it came from (or
   * {@link Long#MAX_VALUE} when a stage emitted it), so that rows keep the order of their input.
   */
  record Output(long sequence, Batch batch) {
  }

  private final StreamPlan plan;
  private final int partition;
  private final Exchange exchange;
  private final int[] stages;
  private final Stage stage;
  private final String sinkLabel;
  /** By id: the operator of each node (null for sources), and the nodes that read it. */
  private final Operator[] operators;
  private final List<List<Edge>> readers = new ArrayList<>();
  private final StateStore[] stores;
  /** By id, for stateful nodes: their heap state, counted against the memory limit. */
  private final HeapStateAccount[] heapState;
  /** By id, for nodes whose input is exchanged: the key groups of their input rows. */
  private final KeyGroups[] keyGroups;
  /** Per node fed through an exchange, what pre-aggregates the rows this partition sends it; else null. */
  private final Combiner[] combiners;
  private final BufferAllocator exchangeAllocator;
  /** The session's allocator, whose limit the state counts against. */
  private final BufferAllocator root;
  /**
   * The root's rows kept for the sink (several partitions), in the order this partition made them, which is the
   * order of their numbers: written by this partition's thread, taken by the query's.
   */
  private final ConcurrentLinkedDeque<Output> outputs = new ConcurrentLinkedDeque<>();
  private long sequence;
  private BatchWriter sink;
  private long outputRows;
  /** Per plan id, the rows its node (or source) emitted in this batch. */
  private long[] nodeRows;

  /**
   * Makes the operators of {@code plan} for partition {@code partition} of {@code exchange.partitions()} of
   * {@code run}. Rows dropped as late go to {@code lateTarget} (null: they are only counted); state stores live
   * under {@code checkpoint}. Errors name the sink as {@code sinkDescription}.
   */
  Pipeline(StreamPlan plan, int partition, Exchange exchange, RunContext run, Checkpoint checkpoint,
      StateBackend stateStore, Consumer<Batch> lateTarget, Stage stage, String sinkDescription) {
    this.plan = plan;
    this.partition = partition;
    this.exchange = exchange;
    this.stages = Exchange.stages(plan, exchange.partitions());
    this.stage = stage;
    this.sinkLabel = sinkDescription + " sink";
    this.operators = new Operator[plan.size()];
    this.stores = new StateStore[plan.size()];
    this.heapState = new HeapStateAccount[plan.size()];
    this.keyGroups = new KeyGroups[plan.size()];
    this.combiners = new Combiner[plan.size()];
    for (int i = 0; i < plan.size(); i++) {
      readers.add(new ArrayList<>());
    }
    String suffix = exchange.partitions() > 1 ? "-p" + partition : "";
    LateRows[] late = lateCounters(plan, lateTarget);
    this.exchangeAllocator = exchange.partitions() > 1 ? run.childAllocator("exchange" + suffix) : null;
    this.root = run.allocator().getRoot();
    try {
      for (PlanNode node : plan.nodes()) {
        for (int i = 0; i < node.inputs().size(); i++) {
          readers.get(node.inputs().get(i)).add(new Edge(node.id(), i));
        }
        BufferAllocator allocator = run.childAllocator("operator-" + node.id() + "-" + node.factory().kind()
            + suffix);
        operators[node.id()] = node.factory().create(new OperatorContext(allocator, late[node.id()], node.id(),
            partition, stateStore));
        if (Exchange.exchanged(node, exchange.partitions())) {
          keyGroups[node.id()] = new KeyGroups(keyTypes(node));
          combiners[node.id()] = node.factory().combiner(run.childAllocator("combiner-" + node.id() + suffix));
        }
        if (node.factory().stateful()) {
          heapState[node.id()] = new HeapStateAccount(allocator);
          stores[node.id()] = new StateStore(StateLayout.directory(checkpoint, node.id(), partition,
              exchange.partitions()), operatorLabel(node.id()), run.childAllocator("state-" + node.id() + suffix));
        }
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** The types of the columns by which a node's input is distributed. */
  private TypeKind[] keyTypes(PlanNode node) {
    RowSchema input = plan.schema(node.inputs().get(0));
    int[] keys = ((Distribution.Hash) node.distribution()).keys();
    TypeKind[] types = new TypeKind[keys.length];
    for (int k = 0; k < keys.length; k++) {
      types[k] = input.type(keys[k]);
    }
    return types;
  }

  private String operatorLabel(int id) {
    return "operator " + id + " (" + operators[id].name() + ")" + (exchange.partitions() == 1 ? ""
        : " partition " + partition) + " of query " + stage.queryLabel();
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
      boolean inherits = !node.factory().stateful() && readerCount[id] == 1 && late[soleReader[id]] != null;
      late[id] = inherits ? late[soleReader[id]] : new LateRows(target);
    }
    return late;
  }

  /**
   * Restores every stateful node's state after batch {@code version} (none: {@code version < 0}), from this
   * partition's own directory or, after a change in the number of partitions, from the rows of its key groups in
   * the directories of the previous layout. Returns whether it had to do the latter.
   */
  boolean restoreState(Checkpoint checkpoint, long version) {
    boolean rescaled = false;
    for (PlanNode node : plan.nodes()) {
      if (stores[node.id()] == null) {
        continue;
      }
      StatefulOperator op = (StatefulOperator) operators[node.id()];
      List<StateStore> from = StateLayout.restoreFrom(checkpoint, node, partition, exchange.partitions(), version,
          stores[node.id()], op, keyTypes(node));
      rescaled |= from.size() != 1 || from.get(0) != stores[node.id()];
      for (StateStore store : from) {
        stage.run("restoring the state of " + op.name(), () -> op.restoreState(store, version));
      }
      account(node.id());
    }
    return rescaled;
  }

  /**
   * A micro-batch begins at processing time {@code processingTime}: with one partition its rows go to {@code sink};
   * rows older than {@code watermark} are late (none for a node that follows processing time).
   */
  void startBatch(long watermark, long processingTime, BatchWriter sink) {
    this.sink = sink;
    this.outputRows = 0;
    this.nodeRows = new long[plan.size()];
    for (PlanNode node : plan.nodes()) {
      operators[node.id()].startBatch(plan.startTime(node.id(), watermark), processingTime);
    }
  }

  /**
   * Pushes a batch of the source with id {@code source}, the {@code sequence}th of the micro-batch, through the
   * plan; the caller keeps the batch.
   */
  void push(int source, Batch batch, long sequence) {
    this.sequence = sequence;
    emit(source, batch);
  }

  /** The number of the last stage. */
  int lastStage() {
    int last = 0;
    for (int s : stages) {
      last = Math.max(last, s);
    }
    return last;
  }

  /**
   * Runs stage {@code s} once every partition has finished the stages before it: the rows exchanged into this
   * partition's nodes of the stage are pushed (from partition 0 up), then each node of the stage, in order, emits
   * what {@code watermark} makes final (a node that follows processing time: what {@code processingTime} does).
   */
  void runStage(int s, long watermark, long processingTime) {
    sequence = Long.MAX_VALUE;
    for (PlanNode node : plan.nodes()) {
      if (stages[node.id()] == s && keyGroups[node.id()] != null) {
        for (int input = 0; input < node.inputs().size(); input++) {
          int in = input;
          forEachClosing(exchange.take(node.id(), input, partition), b -> forEachClosing(
              combiners[node.id()] != null ? processCombined(node.id(), b) : process(node.id(), in, b),
              out -> emit(node.id(), out)));
        }
      }
    }
    for (PlanNode node : plan.nodes()) {
      if (stages[node.id()] == s) {
        Operator operator = operators[node.id()];
        long held = plan.closeTime(node.id(), watermark, processingTime);
        List<Batch> out = stage.run(label(node.id()), () -> operator.finishBatch(held));
        try {
          account(node.id());
        } catch (RuntimeException e) {
          out.forEach(Batch::close);
          throw e;
        }
        forEachClosing(out, b -> emit(node.id(), b));
      }
    }
    // What the stage's nodes sent on was folded into partial aggregates: the next stage reads them.
    for (PlanNode node : plan.nodes()) {
      if (combiners[node.id()] != null && combiners[node.id()].groups() > 0) {
        stage.run("the exchange into " + label(node.id()), () -> sendCombined(node.id()));
      }
    }
  }

  /**
   * Whether the plan's result can grow no more: its root, or every input of it, is a node whose operator
   * {@link Operator#finished finished} (a LIMIT that emitted its rows), whatever its sources still bring.
   */
  boolean finished() {
    return finished(plan.root());
  }

  private boolean finished(int id) {
    if (plan.isSource(id)) {
      return false;
    }
    return operators[id].finished() || plan.node(id).inputs().stream().allMatch(this::finished);
  }

  /** Rows the sink received (or were kept for it) in this batch. */
  long outputRows() {
    return outputRows;
  }

  /** Per plan id, the rows its node or source emitted in this partition in this batch. */
  long[] nodeRows() {
    return nodeRows;
  }

  /** The root's rows of this batch, kept when the query has several partitions; the caller owns them. */
  List<Output> takeOutputs() {
    return takeOutputsUpTo(Long.MAX_VALUE);
  }

  /**
   * The root's rows kept so far that came from source batches numbered up to {@code sequence}, in order; the
   * caller owns them. Safe while this partition's thread goes on.
   */
  List<Output> takeOutputsUpTo(long sequence) {
    List<Output> taken = new ArrayList<>();
    Output next;
    while ((next = outputs.peekFirst()) != null && next.sequence() <= sequence) {
      taken.add(outputs.pollFirst());
    }
    return taken;
  }

  /**
   * Writes version {@code version} of every stateful node's state; returns their figures for the batch. With
   * {@code deferred} not null, the state stores' files are encoded now and their writes added to it, in order,
   * for the caller to run ({@link StateStore#deferWritesTo}).
   */
  List<StateOperatorProgress> commitState(long version, List<Runnable> deferred) {
    List<StateOperatorProgress> progress = new ArrayList<>();
    for (PlanNode node : plan.nodes()) {
      StateStore store = stores[node.id()];
      if (store != null) {
        StatefulOperator op = (StatefulOperator) operators[node.id()];
        store.deferWritesTo(deferred);
        try {
          stage.run("checkpointing the state of " + op.name(), () -> op.commitState(store, version));
        } finally {
          store.deferWritesTo(null);
        }
        progress.add(op.progress());
      }
    }
    return progress;
  }

  private void emit(int from, Batch batch) {
    nodeRows[from] += batch.rowCount();
    if (from == plan.root()) {
      outputRows += batch.rowCount();
      if (exchange.partitions() == 1) {
        stage.run(sinkLabel, () -> sink.write(batch));
      } else {
        outputs.add(new Output(sequence, batch.share(exchangeAllocator)));
      }
    }
    for (Edge edge : readers.get(from)) {
      if (keyGroups[edge.node()] != null) {
        stage.run("the exchange into " + label(edge.node()), () -> send(edge, batch));
        continue;
      }
      forEachClosing(process(edge.node(), edge.input(), batch), b -> emit(edge.node(), b));
    }
  }

  /** Node {@code id} processes a batch of its input {@code input}; its heap state is counted after. */
  private List<Batch> process(int id, int input, Batch batch) {
    return process(id, () -> operators[id].process(input, batch));
  }

  /** Node {@code id} merges partial aggregates that partitions sent it; its heap state is counted after. */
  private List<Batch> processCombined(int id, Batch partial) {
    return process(id, () -> ((Combiner.Target) operators[id]).processCombined(partial));
  }

  private List<Batch> process(int id, Supplier<List<Batch>> work) {
    List<Batch> out = stage.run(label(id), work);
    if (heapState[id] != null) {
      try {
        account(id);
      } catch (RuntimeException e) {
        out.forEach(Batch::close);
        throw e;
      }
    }
    return out;
  }

  /** Counts node {@code id}'s heap state against the memory limit, or fails naming it. */
  private void account(int id) {
    if (heapState[id] != null) {
      long bytes = ((StatefulOperator) operators[id]).heapStateBytes();
      if (!heapState[id].update(bytes)) {
        throw stage.stateOverLimit(label(id), bytes, root.getAllocatedMemory() - heapState[id].reserved());
      }
    }
  }

  /** Splits {@code batch} by the partition that owns each row's key group and puts the pieces in the exchange. */
  private void send(Edge edge, Batch batch) {
    Combiner combiner = combiners[edge.node()];
    if (combiner != null) {
      combiner.add(batch);
      if (combiner.groups() >= COMBINED_GROUPS) {
        sendCombined(edge.node());
      }
      return;
    }
    send(edge.node(), edge.input(), batch,
        ((Distribution.Hash) plan.node(edge.node()).distribution()).keys(edge.input()));
  }

  /** Sends the partial aggregates held for node {@code id}, hashed on their keys. */
  private void sendCombined(int id) {
    Combiner combiner = combiners[id];
    int[] keys = combiner.hashKeys();
    try (Batch partial = combiner.take()) {
      if (partial != null) {
        send(id, 0, partial, keys);
      }
    }
  }

  /** Sends each row of {@code batch} to the partition that owns the key group of its columns {@code keys}. */
  private void send(int node, int input, Batch batch, int[] keys) {
    int n = batch.rowCount();
    if (n == 0) {
      return;
    }
    FieldVector[] vectors = new FieldVector[keys.length];
    for (int k = 0; k < keys.length; k++) {
      vectors[k] = batch.vector(keys[k]);
    }
    int partitions = exchange.partitions();
    int[] groups = new int[n];
    keyGroups[node].assign(vectors, n, groups);
    int[] counts = new int[partitions];
    for (int i = 0; i < n; i++) {
      groups[i] = KeyGroups.partitionOf(groups[i], partitions);
      counts[groups[i]]++;
    }
    for (int to = 0; to < partitions; to++) {
      if (counts[to] == n) {
        exchange.put(node, input, partition, to, batch.share(exchangeAllocator), sequence);
        return;
      }
    }
    for (int to = 0; to < partitions; to++) {
      if (counts[to] == 0) {
        continue;
      }
      int[] rows = new int[counts[to]];
      int r = 0;
      for (int i = 0; i < n; i++) {
        if (groups[i] == to) {
          rows[r++] = i;
        }
      }
      exchange.put(node, input, partition, to, gather(batch, rows), sequence);
    }
  }

  private Batch gather(Batch batch, int[] rows) {
    List<FieldVector> columns = new ArrayList<>();
    try {
      for (int c = 0; c < batch.columnCount(); c++) {
        columns.add(Vectors.gather(batch.vector(c), batch.schema().type(c), rows, rows.length, exchangeAllocator));
      }
    } catch (RuntimeException | Error e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
    return Batch.of(batch.schema(), columns, rows.length);
  }

  private String label(int id) {
    return "operator " + id + " (" + operators[id].name() + ")" + (exchange.partitions() == 1 ? ""
        : " of partition " + partition);
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

  /** Closes the operators and what the sink did not take; the first failure is thrown after all were closed. */
  @Override
  public void close() {
    outputs.forEach(o -> o.batch().close());
    outputs.clear();
    for (Combiner combiner : combiners) {
      if (combiner != null) {
        combiner.close();
      }
    }
    for (HeapStateAccount account : heapState) {
      if (account != null) {
        account.close();
      }
    }
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
