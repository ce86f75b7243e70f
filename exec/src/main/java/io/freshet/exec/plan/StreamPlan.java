package io.freshet.exec.plan;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What the planner hands the runtime: an immutable DAG from one or more sources to one root, whose output goes
 * to the query's sink. Sources and operator nodes share one numbering; every input comes before the node that
 * reads it, so the nodes are in an order the runtime can run them in. The plan derives each node's changelog
 * mode and upsert key from its factory and its inputs. The batches of a node whose changelog mode is retract
 * carry the kind of each row in one more column than the node's schema ({@link io.freshet.exec.batch.RowKind}).
 */
public final class StreamPlan {
  private final List<SourceSpec> sources;
  private final List<PlanNode> nodes;
  private final int root;
  /** Per id: the source or node with that id, and its changelog mode. */
  private final Object[] byId;
  private final ChangelogMode[] changelogs;
  private final int[][] upsertKeys;
  /** Per id: how far behind the query's watermark the watermark of its rows is. */
  private final long[] watermarkDelays;
  /** The ids of the nodes whose time is processing time rather than event time. */
  private final Set<Integer> processingTime;

  private StreamPlan(List<SourceSpec> sources, List<PlanNode> nodes, int root, Object[] byId,
      Set<Integer> processingTime) {
    this.sources = List.copyOf(sources);
    this.nodes = List.copyOf(nodes);
    this.root = root;
    this.byId = byId;
    this.processingTime = Set.copyOf(processingTime);
    this.changelogs = new ChangelogMode[byId.length];
    this.upsertKeys = new int[byId.length][];
    this.watermarkDelays = new long[byId.length];
    Arrays.fill(changelogs, ChangelogMode.INSERT_ONLY);
    for (PlanNode node : nodes) {
      List<ChangelogMode> inputs = node.inputs().stream().map(i -> changelogs[i]).toList();
      changelogs[node.id()] = node.factory().changelogMode(inputs);
      upsertKeys[node.id()] = node.factory().upsertKey(node.inputs().stream().map(i -> upsertKeys[i]).toList());
      watermarkDelays[node.id()] = inputWatermarkDelay(node.id()) + node.factory().watermarkDelayMs();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<SourceSpec> sources() {
    return sources;
  }

  /** The operator nodes, each after its inputs. */
  public List<PlanNode> nodes() {
    return nodes;
  }

  /** The id of the node (or source) whose rows go to the sink. */
  public int root() {
    return root;
  }

  /** The number of ids: sources and nodes. */
  public int size() {
    return byId.length;
  }

  /** Whether {@code id} names a source rather than an operator node. */
  public boolean isSource(int id) {
    return byId[id] instanceof SourceSpec;
  }

  public SourceSpec source(int id) {
    return (SourceSpec) byId[id];
  }

  public PlanNode node(int id) {
    return (PlanNode) byId[id];
  }

  /** The schema of the rows that source or node {@code id} gives. */
  public RowSchema schema(int id) {
    return isSource(id) ? source(id).schema() : node(id).factory().outputSchema();
  }

  /** The schema of the rows the sink receives. */
  public RowSchema outputSchema() {
    return schema(root);
  }

  public ChangelogMode changelogMode(int id) {
    return changelogs[id];
  }

  /** What the sink's rows mean. */
  public ChangelogMode changelogMode() {
    return changelogs[root];
  }

  /**
   * The columns of the result that identify its rows, by which an update-mode sink replaces an earlier row, or
   * null when the result has no such key (its rows never change, or a projection dropped part of the key).
   */
  public int[] upsertKey() {
    return upsertKeys[root] == null ? null : upsertKeys[root].clone();
  }

  /**
   * How far the watermark of node {@code id}'s input is behind the query's: the largest delay of its inputs, which
   * the joins below it add up ({@link OperatorFactory#watermarkDelayMs}).
   */
  public long inputWatermarkDelay(int id) {
    long delay = 0;
    for (int input : node(id).inputs()) {
      delay = Math.max(delay, watermarkDelays[input]);
    }
    return delay;
  }

  /** The watermark in force for node {@code id}'s input when the query's is {@code watermark}. */
  public long inputWatermark(int id, long watermark) {
    long delay = inputWatermarkDelay(id);
    if (delay == 0 || watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
      return watermark;
    }
    return watermark - delay < watermark ? watermark - delay : Long.MIN_VALUE;
  }

  /**
   * Whether node {@code id} follows processing time: its windows are assigned by a processing-time column and close
   * when the batches' processing time passes their end, whatever the watermark.
   */
  public boolean followsProcessingTime(int id) {
    return processingTime.contains(id);
  }

  /** Whether any node follows processing time. */
  public boolean usesProcessingTime() {
    return !processingTime.isEmpty();
  }

  /**
   * The time below which node {@code id}'s input rows are late in a batch that starts with the query's watermark
   * {@code watermark}: its input's watermark, or for a node that follows processing time none (no row is late by
   * processing time: a row's processing time is its batch's).
   */
  public long startTime(int id, long watermark) {
    return followsProcessingTime(id) ? Long.MIN_VALUE : inputWatermark(id, watermark);
  }

  /**
   * The time up to which node {@code id} closes its windows at the end of a batch: its input's watermark after the
   * batch, or for a node that follows processing time the batch's processing time ({@code processingTime}).
   */
  public long closeTime(int id, long watermark, long processingTime) {
    return followsProcessingTime(id) ? processingTime : inputWatermark(id, watermark);
  }

  /**
   * The first processing time after {@code timeMs} at which a node that follows processing time may close a window
   * ({@link OperatorFactory#processingTimerAfter}), or {@link Long#MAX_VALUE} when none does: the engine runs a batch
   * then, new data or not, so that windows close while the input is idle.
   */
  public long nextProcessingTimer(long timeMs) {
    long next = Long.MAX_VALUE;
    for (int id : processingTime) {
      next = Math.min(next, node(id).factory().processingTimerAfter(timeMs));
    }
    return next;
  }

  /** Whether any node keeps state across micro-batches. */
  public boolean isStateful() {
    return nodes.stream().anyMatch(n -> n.factory().stateful());
  }

  /** Whether every source ends. */
  public boolean isBounded() {
    return sources.stream().allMatch(SourceSpec::bounded);
  }

  /** The schema of the rows the plan drops as late (the input of its first such node), or null when it drops none. */
  public RowSchema lateRowSchema() {
    for (PlanNode node : nodes) {
      if (node.factory().dropsLateRows()) {
        return schema(node.inputs().get(0));
      }
    }
    return null;
  }

  /**
   * The plan as an indented tree from the root down, one line per node: its id, what it does, and where they are
   * not the defaults, how its input is distributed and what its rows mean. A node read by several others is
   * printed once, and referred to by id after that.
   */
  public String explain() {
    return explain(id -> null);
  }

  /**
   * The plan as an indented tree, each node followed by {@code notes} of it in brackets when they are not null (a
   * running query's figures per node), lines broken to fit {@link PlanText#WIDTH} columns.
   */
  public String explain(IntFunction<String> notes) {
    StringBuilder sb = new StringBuilder();
    explain(root, "", sb, new HashSet<>(), notes);
    return PlanText.wrap(sb.toString(), PlanText.WIDTH);
  }

  private void explain(int id, String indent, StringBuilder sb, Set<Integer> printed, IntFunction<String> more) {
    sb.append(indent).append('#').append(id).append(' ');
    if (!printed.add(id)) {
      sb.append("(shown above)\n");
      return;
    }
    if (isSource(id)) {
      sb.append(source(id).describe()).append(more.apply(id) == null ? "" : " [" + more.apply(id) + "]")
          .append('\n');
      return;
    }
    PlanNode node = node(id);
    sb.append(node.factory().describe());
    List<String> notes = new ArrayList<>();
    if (!node.distribution().label().isEmpty()) {
      notes.add("by " + node.distribution().label());
    }
    if (changelogs[id] != ChangelogMode.INSERT_ONLY) {
      notes.add(changelogs[id].label());
    }
    if (followsProcessingTime(id)) {
      notes.add("processing time");
    }
    if (more.apply(id) != null) {
      notes.add(more.apply(id));
    }
    if (!notes.isEmpty()) {
      sb.append(" [").append(String.join("; ", notes)).append(']');
    }
    sb.append('\n');
    for (int input : node.inputs()) {
      explain(input, indent + "  ", sb, printed, more);
    }
  }

  @Override
  public String toString() {
    return explain();
  }

  /** This plan with node {@code id} made by {@code factory} instead (same inputs and distribution). */
  public StreamPlan replace(int id, OperatorFactory factory) {
    return replace(id, factory, node(id).distribution());
  }

  /** This plan with node {@code id} made by {@code factory}, its input distributed as {@code distribution}. */
  public StreamPlan replace(int id, OperatorFactory factory, Distribution distribution) {
    List<PlanNode> replaced = new ArrayList<>(nodes);
    Object[] ids = byId.clone();
    PlanNode old = node(id);
    PlanNode node = new PlanNode(id, factory, old.inputs(), distribution);
    replaced.set(replaced.indexOf(old), node);
    ids[id] = node;
    return new StreamPlan(sources, replaced, root, ids, processingTime);
  }

  /** A builder that starts from this plan, to add nodes above it. */
  public Builder extend() {
    Builder builder = new Builder();
    builder.sources.addAll(sources);
    builder.nodes.addAll(nodes);
    builder.byId.addAll(Arrays.asList(byId));
    builder.processingTime.addAll(processingTime);
    return builder;
  }

  /** Builds a plan bottom-up: sources first, then each node after its inputs. */
  public static final class Builder {
    private final List<SourceSpec> sources = new ArrayList<>();
    private final List<PlanNode> nodes = new ArrayList<>();
    private final List<Object> byId = new ArrayList<>();
    private final Set<Integer> processingTime = new HashSet<>();

    private Builder() {
    }

    /** Marks node {@code id} as following processing time ({@link StreamPlan#followsProcessingTime}). */
    public Builder processingTime(int id) {
      if (id < 0 || id >= byId.size() || !(byId.get(id) instanceof PlanNode)) {
        throw new IllegalArgumentException("no node " + id);
      }
      processingTime.add(id);
      return this;
    }

    /** Adds a source and returns its id. */
    public int source(String name, RowSchema schema, boolean bounded, Expr watermark, String watermarkText,
        long idleTimeoutMs) {
      SourceSpec spec = new SourceSpec(byId.size(), name, schema, bounded, watermark, watermarkText, idleTimeoutMs);
      if (sources.stream().anyMatch(s -> s.name().equals(name))) {
        throw new IllegalArgumentException("the plan reads " + name + " twice");
      }
      sources.add(spec);
      byId.add(spec);
      return spec.id();
    }

    /** Adds a node over {@code inputs} (ids returned before) and returns its id. */
    public int node(OperatorFactory factory, Distribution distribution, int... inputs) {
      List<Integer> in = new ArrayList<>();
      for (int input : inputs) {
        if (input < 0 || input >= byId.size()) {
          throw new IllegalArgumentException("no input " + input + " yet");
        }
        in.add(input);
      }
      PlanNode node = new PlanNode(byId.size(), factory, in, distribution);
      nodes.add(node);
      byId.add(node);
      return node.id();
    }

    /** Adds a stateless node over one input. */
    public int node(OperatorFactory factory, int input) {
      return node(factory, Distribution.ANY, input);
    }

    /** The schema of what {@code id} gives, while building. */
    public RowSchema schema(int id) {
      Object o = byId.get(id);
      return o instanceof SourceSpec s ? s.schema() : ((PlanNode) o).factory().outputSchema();
    }

    /** The plan whose rows come from {@code root}. */
    public StreamPlan build(int root) {
      if (root < 0 || root >= byId.size()) {
        throw new IllegalArgumentException("no node " + root);
      }
      return new StreamPlan(sources, nodes, root, byId.toArray(), processingTime);
    }
  }
}
