package io.freshet.exec.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.aggregate.HopSlicing;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.plan.OperatorFactory;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.state.RocksDbState;
import io.freshet.exec.types.Column;
import io.freshet.exec.window.WindowAssignOperator;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What a query's checkpointed state means, and what a changed query does with it. The checkpoint's {@code plan}
 * file records, per stateful plan node, a fingerprint: its operator as EXPLAIN shows it, with each input column
 * written as what it means traced down to the sources (a source column by name and type, an expression over such
 * columns, a window's bounds by kind, size and time column), and the types of its output. A restart compares the
 * query's nodes with the recorded ones, the n-th stateful node with the n-th: equal fingerprints keep their state,
 * also when a filter or a watermark below them, anything above them, or only the positions of columns changed, or
 * when the node's id moved; any other difference is refused with the node and what changed, since its state would
 * mean something else (an open 10 s window emitted as a 20 s one, old keys mixed with new). {@code EXPLAIN UPGRADE}
 * prints the same decisions without running anything.
 */
public final class QueryEvolution {
  static final String FILE = "plan";

  /**
   * A stateful node's fingerprint ({@code operator}, {@code notes}, {@code output}), its EXPLAIN line (for
   * messages) and the directory under {@code state/} that holds its state.
   */
  record Node(int id, int directory, String explain, String operator, List<String> aggregates, List<String> notes,
      String output) {
    Node {
      aggregates = aggregates == null ? List.of() : List.copyOf(aggregates);
      notes = List.copyOf(notes);
    }
  }

  /** The plan file: the stateful nodes, and the state store that wrote their state (null in earlier files). */
  record Recorded(List<Node> nodes, String stateStore) {
  }

  private static String store(boolean pagesToDisk) {
    return pagesToDisk ? "rocksdb" : "memory";
  }

  /** What happens to one stateful node's state. */
  public enum Verdict {
    /** Restored as it is. */
    KEPT,
    /**
     * Restored, and carried into the changed query (with either state store): an aggregate added after the others
     * starts empty in the groups it holds, a source column widened from INT to BIGINT is read as BIGINT.
     */
    MIGRATED,
    /** Starts empty: the query has not run yet. */
    NEW,
    /** Not restored: the query does not start. */
    REFUSED
  }

  /** One node's decision: the node as the query has it now (null for a node only the checkpoint has), and why. */
  public record Decision(String node, Verdict verdict, String why) {
  }

  private QueryEvolution() {
  }

  /**
   * What {@link #apply} decided: the decisions (for the log), and the plan's fingerprints, which {@link #record}
   * writes into the checkpoint once the query has resumed from it.
   */
  record Upgrade(List<Decision> decisions, List<Node> nodes, String stateStore) {
    static final Upgrade NONE = new Upgrade(List.of(), null, null);

    /**
     * Records the fingerprints, replacing what the checkpoint held: called after the checkpoint was checked and its
     * state restored, so a start refused for a damaged checkpoint leaves the record of the query that wrote it.
     */
    void record(Checkpoint checkpoint) {
      if (nodes != null) {
        String recorded = Json.write(new Recorded(nodes, stateStore), false);
        Checkpoint.writeAtomically(checkpoint.root().resolve(FILE),
            ("v1\n" + recorded).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Checks {@code plan} against what the checkpoint recorded, refusing a change its state cannot follow, and sets
   * where each node finds its state; what it returns records the plan's fingerprints.
   */
  static Upgrade apply(StreamPlan plan, Checkpoint checkpoint, boolean committed, boolean pagesToDisk) {
    if (plan == null) {
      return Upgrade.NONE;
    }
    Assessment a = assess(plan, checkpoint.root(), committed, pagesToDisk);
    List<Decision> refused = a.decisions().stream().filter(d -> d.verdict() == Verdict.REFUSED).toList();
    if (!refused.isEmpty()) {
      throw FreshetException.user("The query changed in a way its checkpointed state cannot follow: "
          + refused.stream().map(d -> d.node() + ": " + d.why()).collect(Collectors.joining("; "))
          + ". Run the query as it was, or start it with a new checkpoint location (EXPLAIN UPGRADE shows what a "
          + "changed query would do with the checkpoint " + checkpoint.root() + ")");
    }
    Map<Integer, Integer> directories = new HashMap<>();
    for (Node n : a.now()) {
      directories.put(n.id(), n.directory());
    }
    checkpoint.mapStateDirectories(directories);
    return new Upgrade(a.decisions(), a.now(), store(pagesToDisk));
  }

  /**
   * The decisions for running {@code plan} on the checkpoint at {@code root}, without changing anything: for
   * EXPLAIN UPGRADE.
   */
  public static List<Decision> explain(StreamPlan plan, Path root, boolean pagesToDisk) {
    boolean committed = root != null && Files.isDirectory(root.resolve("commits"))
        && new Checkpoint(root).latestCommitBatch().isPresent();
    return assess(forCheckpoint(plan, root, pagesToDisk), root, committed, pagesToDisk).decisions();
  }

  /**
   * The plan that runs {@code plan} (as planned, its hopping windows kept as windows) on the checkpoint at {@code
   * root} (null: none): with the hopping windows that can keep slices on the heap sliced ({@link HopSlicing}), unless
   * the checkpoint records the plan unsliced, as a version before slices wrote it, whose state holds windows.
   */
  public static StreamPlan forCheckpoint(StreamPlan plan, Path root, boolean pagesToDisk) {
    StreamPlan sliced = HopSlicing.forStore(plan, pagesToDisk);
    Path file = root == null ? null : root.resolve(FILE);
    if (sliced == plan || file == null || !Files.exists(file)) {
      return sliced;
    }
    List<Node> before;
    try {
      before = read(file).nodes();
    } catch (RuntimeException e) {
      // Damaged: the start reports it.
      return sliced;
    }
    return sameState(before, fingerprints(plan)) && !sameState(before, fingerprints(sliced)) ? plan : sliced;
  }

  /** Whether the recorded fingerprints {@code before} are those of {@code now}, operator by operator. */
  private static boolean sameState(List<Node> before, List<Node> now) {
    if (before.size() != now.size()) {
      return false;
    }
    for (int i = 0; i < now.size(); i++) {
      Node b = before.get(i);
      Node n = now.get(i);
      if (!b.operator().equals(n.operator()) || !b.aggregates().equals(n.aggregates())) {
        return false;
      }
    }
    return true;
  }

  private record Assessment(List<Node> now, List<Decision> decisions) {
  }

  private static Assessment assess(StreamPlan plan, Path root, boolean committed, boolean pagesToDisk) {
    List<Node> now = fingerprints(plan);
    List<Decision> decisions = new ArrayList<>();
    Path file = root == null ? null : root.resolve(FILE);
    if (file == null || !Files.exists(file)) {
      if (committed) {
        throw new CheckpointFiles.Damaged(file, "missing").withAdvice("It records what the query's state means, "
            + "and a batch has committed; restore it from a backup, or start the query with a new checkpoint "
            + "location");
      }
      for (Node n : now) {
        decisions.add(new Decision(label(n), Verdict.NEW, "the checkpoint holds no state yet; it starts empty"));
      }
      return new Assessment(now, decisions);
    }
    Recorded recordedFile = read(file);
    List<Node> before = recordedFile.nodes();
    String store = store(pagesToDisk);
    String was = recordedFile.stateStore();
    if (was != null && !was.equals(store) && !before.isEmpty()) {
      for (Node n : now) {
        decisions.add(new Decision(label(n), Verdict.REFUSED, "its state was written with 'state-store' = '" + was
            + "', and the query now runs with '" + store + "'; restart it with the state store it started with (SET "
            + "'state-store' = '" + was + "')"));
      }
      return new Assessment(now, decisions);
    }
    List<Node> matched = new ArrayList<>();
    for (int i = 0; i < now.size(); i++) {
      Node n = now.get(i);
      if (i >= before.size()) {
        decisions.add(new Decision(label(n), Verdict.REFUSED, "it is new, and would start empty in the middle of "
            + "the stream"));
        matched.add(n);
        continue;
      }
      Node recorded = before.get(i);
      Node kept = new Node(n.id(), recorded.directory(), n.explain(), n.operator(), n.aggregates(), n.notes(),
          n.output());
      matched.add(kept);
      Set<String> widened = new TreeSet<>();
      Node b = Widening.widen(recorded, n, widened);
      String widening = widened.isEmpty() ? null : String.join(", ", widened) + " widened from INT to BIGINT";
      String difference = difference(b, n);
      if (difference != null) {
        decisions.add(new Decision(label(n), Verdict.REFUSED, difference));
        continue;
      }
      if (!widened.isEmpty() && !Widening.carries(n)) {
        decisions.add(new Decision(label(n), Verdict.REFUSED, widening + "; a widened type is carried for "
            + "aggregations only"));
        continue;
      }
      List<String> added = n.aggregates().size() > b.aggregates().size()
          && n.aggregates().subList(0, b.aggregates().size()).equals(b.aggregates())
          ? n.aggregates().subList(b.aggregates().size(), n.aggregates().size()) : null;
      boolean migrates = added != null || !widened.isEmpty() && b.aggregates().equals(n.aggregates());
      String unrecorded = pagesToDisk && migrates && committed ? unrecordedLayout(root, recorded.directory())
          : null;
      if (unrecorded != null) {
        List<String> changes = new ArrayList<>();
        if (widening != null) {
          changes.add(widening);
        }
        if (added != null) {
          changes.add("added " + String.join(", ", added) + " after its other aggregates");
        }
        decisions.add(new Decision(label(n), Verdict.REFUSED, String.join(", ", changes) + "; " + unrecorded));
        continue;
      }
      if (!b.aggregates().equals(n.aggregates())) {
        if (added == null) {
          decisions.add(new Decision(label(n), Verdict.REFUSED, "its aggregates changed: "
              + WordDiff.wasNow(b.aggregates().toString(), n.aggregates().toString())));
        } else {
          decisions.add(new Decision(label(n), Verdict.MIGRATED, (widening == null ? "" : widening + "; ")
              + "added " + String.join(", ", added) + " after its other aggregates: in the groups the checkpoint "
              + "holds, " + (added.size() == 1 ? "it starts" : "they start") + " empty, so there " + (added.size() == 1
              ? "it covers" : "they cover") + " only the rows from now on"));
        }
        continue;
      }
      List<String> carried = new ArrayList<>();
      if (!b.notes().equals(n.notes()) && n.explain().contains(", retracts")) {
        decisions.add(new Decision(label(n), Verdict.REFUSED, "a filter or watermark below it changed, and it reads "
            + "a changelog: a new filter would drop the retraction of a row the old one let in, or pass the "
            + "retraction of one it never saw"));
        continue;
      }
      if (!b.notes().equals(n.notes())) {
        List<String> changes = new ArrayList<>();
        b.notes().stream().filter(x -> !n.notes().contains(x)).forEach(x -> changes.add("was " + WordDiff.quote(x)));
        n.notes().stream().filter(x -> !b.notes().contains(x)).forEach(x -> changes.add("now " + WordDiff.quote(x)));
        carried.add("a filter or watermark below it changed (" + String.join(", ", changes) + "); the rows "
            + "already in its state stay, new rows follow the new query");
      }
      if (b.id() != n.id()) {
        carried.add("its node id is now #" + n.id() + " (was #" + b.id() + "); its state stays where it is");
      }
      if (!widened.isEmpty()) {
        carried.add(0, widening + ": the keys and values its state holds are read as BIGINT");
        decisions.add(new Decision(label(n), Verdict.MIGRATED, String.join("; ", carried)));
        continue;
      }
      decisions.add(new Decision(label(n), Verdict.KEPT, carried.isEmpty() ? "unchanged" : String.join("; ",
          carried)));
    }
    for (int i = now.size(); i < before.size(); i++) {
      Node b = before.get(i);
      decisions.add(new Decision(label(b), Verdict.REFUSED, "the query no longer has "
          + "this stateful operator, and its state would be dropped"));
    }
    return new Assessment(matched, decisions);
  }

  /**
   * Why the RocksDB state of the node whose state is in {@code state/<directory>} cannot be migrated, or null: the
   * version the start restores (the last committed batch's, or the one before when the newest commit entry is
   * corrupt) was written before RocksDB versions recorded the layout of their entries, which a migration reads them
   * by (any version written since records it); a version without one would be read in the query's layout.
   */
  private static String unrecordedLayout(Path root, int directory) {
    // A batch has committed: the checkpoint's directories are there.
    java.util.OptionalLong last = new Checkpoint(root).latestCommitBatchToRestore();
    if (last.isEmpty()) {
      return null;
    }
    List<Path> lists = RocksDbState.withoutLayout(root.resolve("state").resolve(Integer.toString(directory)),
        last.getAsLong());
    return lists.isEmpty() ? null : "its RocksDB state (" + lists.get(0) + (lists.size() == 1 ? "" : " and "
        + (lists.size() - 1) + " more") + ") was written before RocksDB state recorded the layout of its entries, "
        + "which a migration needs: run the query as it was until it commits a batch, then change it";
  }

  /** What differs between a recorded fingerprint and the query's, or null when their state means the same. */
  private static String difference(Node before, Node now) {
    if (!before.operator().equals(now.operator())) {
      return "it changed: " + WordDiff.wasNow(before.operator(), now.operator());
    }
    String common = before.output().substring(0, before.output().length() - 1);
    boolean extended = now.aggregates().size() > before.aggregates().size()
        && now.output().startsWith(common.length() == 1 ? "(" : common + ", ");
    if (!before.output().equals(now.output()) && !extended) {
      return "its output types were " + before.output() + ", now " + now.output();
    }
    return null;
  }

  private static String label(Node n) {
    return "#" + n.id() + " " + n.explain();
  }

  private static Recorded read(Path file) {
    String text;
    try {
      text = CheckpointFiles.readString(file);
    } catch (CheckpointFiles.Damaged e) {
      throw e.withAdvice("It records what the query's state means; restore it from a backup, or start the query "
          + "with a new checkpoint location");
    }
    try {
      return Json.MAPPER.readValue(text.substring(text.indexOf('\n') + 1), Recorded.class);
    } catch (JsonProcessingException e) {
      throw FreshetException.user("Checkpoint file " + file + " does not parse (" + e.getOriginalMessage() + "); "
          + "restore it from a backup, or start the query with a new checkpoint location");
    }
  }

  /** The fingerprints of the plan's stateful nodes, in id order. */
  static List<Node> fingerprints(StreamPlan plan) {
    Lineage lineage = new Lineage(plan);
    List<Node> out = new ArrayList<>();
    for (PlanNode node : plan.nodes()) {
      if (!node.factory().stateful()) {
        continue;
      }
      IntFunction<String> column = c -> lineage.inputColumn(node, c);
      String operator = node.factory().describe(column);
      List<String> aggregates = List.of();
      if (node.factory() instanceof HashAggregateOperator.Spec aggregate) {
        // The aggregates apart, so that one added after the others can be told from any other change.
        aggregates = aggregate.calls().stream().map(c -> c.toString(column)).toList();
        operator = operator.replace("aggregates=" + aggregates, "aggregates=[...]");
      }
      List<String> notes = new ArrayList<>();
      Set<Integer> seen = new HashSet<>();
      for (int in : node.inputs()) {
        lineage.notes(in, notes, seen);
      }
      String output = plan.schema(node.id()).columns().stream().map(c -> c.type().name())
          .collect(Collectors.joining(", ", "(", ")"));
      out.add(new Node(node.id(), node.id(), node.factory().describe(), operator, aggregates, notes, output));
    }
    return out;
  }

  /**
   * What each column of a plan node means, traced down to the sources: a source's column by name and type, a
   * projection's expression over what its input columns mean, a window's columns by the window (kind, size, time
   * column); other nodes by their own line over what their input columns mean. Column positions do not appear, so a
   * change that only adds, drops or moves columns (a filter that needs one more column carried through a window)
   * leaves a stateful node's fingerprint as it was.
   */
  private static final class Lineage {
    private final StreamPlan plan;
    private final Map<Long, String> memo = new HashMap<>();

    Lineage(StreamPlan plan) {
      this.plan = plan;
    }

    /** What column {@code c} of {@code node}'s input means (of the inputs one after the other, for a join). */
    String inputColumn(PlanNode node, int c) {
      int at = c;
      if (node.factory().concatenatesInputs()) {
        for (int in : node.inputs()) {
          int width = plan.schema(in).size();
          if (at < width) {
            return column(in, at);
          }
          at -= width;
        }
      }
      return column(node.inputs().get(0), at);
    }

    String column(int id, int c) {
      long key = ((long) id << 32) | c;
      String known = memo.get(key);
      if (known == null) {
        known = trace(id, c);
        memo.put(key, known);
      }
      return known;
    }

    private String trace(int id, int c) {
      if (plan.isSource(id)) {
        SourceSpec s = plan.source(id);
        Column column = s.schema().column(c);
        return s.name() + "." + column.name() + ":" + column.type().name();
      }
      PlanNode node = plan.node(id);
      OperatorFactory f = node.factory();
      int input = node.inputs().get(0);
      if (f instanceof CalcOperator.Spec calc) {
        return Expr.render(calc.projections().get(c), i -> column(input, i), true);
      }
      if (f instanceof WindowAssignOperator.Spec w) {
        if (c < w.carried().length) {
          return column(input, w.carried()[c]);
        }
        String shape = w.cumulative() ? "CUMULATE(size=" + w.sizeMs() + ", step=" + w.slideMs()
            : w.sizeMs() == w.slideMs() ? "TUMBLE(size=" + w.sizeMs() : "HOP(size=" + w.sizeMs() + ", slide="
            + w.slideMs();
        return shape + " ms, offset=" + w.offsetMs() + " ms, " + (w.sliced() ? "sliced, " : "") + "time="
            + column(input, w.timeColumn()) + ")."
            + w.outputSchema().column(c).name();
      }
      if (f.concatenatesInputs()) {
        return "(" + f.describe(i -> inputColumn(node, i)) + ")." + plan.schema(id).column(c).name() + "="
            + inputColumn(node, c);
      }
      if (node.inputs().size() > 1) {
        return f.describe() + node.inputs().stream().map(in -> column(in, c))
            .collect(Collectors.joining(" | ", "(", ")"));
      }
      return "(" + f.describe(i -> column(input, i)) + ")." + plan.schema(id).column(c).name();
    }

    /** The filters and watermarks below node {@code id}: they change which rows come, not what state means. */
    void notes(int id, List<String> notes, Set<Integer> seen) {
      if (!seen.add(id)) {
        return;
      }
      if (plan.isSource(id)) {
        SourceSpec s = plan.source(id);
        notes.add("watermark of " + s.name() + ": " + (s.watermarkText() == null ? "none" : s.watermarkText()));
        return;
      }
      PlanNode node = plan.node(id);
      if (node.factory() instanceof CalcOperator.Spec calc && calc.condition() != null) {
        int input = node.inputs().get(0);
        notes.add("filter " + Expr.render(calc.condition(), i -> column(input, i), true));
      }
      for (int in : node.inputs()) {
        notes(in, notes, seen);
      }
    }
  }

  /** EXPLAIN UPGRADE's text: one line per stateful node, its verdict and why. */
  public static String format(List<Decision> decisions, Path root) {
    StringBuilder sb = new StringBuilder("checkpoint: ").append(root).append('\n');
    if (decisions.isEmpty()) {
      sb.append("the query keeps no state: it can run on the checkpoint as it is\n");
    }
    for (Decision d : decisions) {
      sb.append(d.node()).append('\n').append("  ").append(d.verdict().name().toLowerCase()).append(": ")
          .append(d.why()).append('\n');
    }
    boolean refused = decisions.stream().anyMatch(d -> d.verdict() == Verdict.REFUSED);
    sb.append(refused ? "result: refused; the query would not start on this checkpoint\n"
        : "result: the query can run on this checkpoint\n");
    return sb.toString();
  }
}
