package io.freshet.exec.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.Column;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a query's checkpointed state means, and what a changed query does with it. The checkpoint's {@code plan}
 * file records, per stateful plan node, a fingerprint: its operator as EXPLAIN shows it (keys, aggregates, window,
 * emit), the plan below it down to the sources (window sizes, key expressions, source column types), and the types
 * of its output. A restart compares the query's nodes with the recorded ones, the n-th stateful node with the n-th:
 * equal fingerprints keep their state, even when a filter or a watermark delay below them, or anything above them,
 * changed, or when the node's id moved; any other difference is refused with the node and what changed, since its
 * state would mean something else (an open 10 s window emitted as a 20 s one, old keys mixed with new). {@code
 * EXPLAIN UPGRADE} prints the same decisions without running anything.
 */
public final class QueryEvolution {
  static final String FILE = "plan";

  /** A stateful node's fingerprint and the directory under {@code state/} that holds its state. */
  record Node(int id, int directory, String operator, List<String> input, List<String> notes, String output) {
    Node {
      input = List.copyOf(input);
      notes = List.copyOf(notes);
    }
  }

  record Recorded(List<Node> nodes) {
  }

  /** What happens to one stateful node's state. */
  public enum Verdict {
    /** Restored as it is. */
    KEPT,
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
   * Checks {@code plan} against what the checkpoint recorded, refusing a change its state cannot follow, and records
   * the plan's fingerprints; returns the decisions (for the log). Sets where each node finds its state.
   */
  static List<Decision> apply(StreamPlan plan, Checkpoint checkpoint, boolean committed) {
    if (plan == null) {
      return List.of();
    }
    Assessment a = assess(plan, checkpoint.root(), committed);
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
    Checkpoint.writeAtomically(checkpoint.root().resolve(FILE), ("v1\n" + Json.write(new Recorded(a.now()), false))
        .getBytes(StandardCharsets.UTF_8));
    return a.decisions();
  }

  /**
   * The decisions for running {@code plan} on the checkpoint at {@code root}, without changing anything: for
   * EXPLAIN UPGRADE.
   */
  public static List<Decision> explain(StreamPlan plan, Path root) {
    boolean committed = root != null && Files.isDirectory(root.resolve("commits"))
        && new Checkpoint(root).latestCommitBatch().isPresent();
    return assess(plan, root, committed).decisions();
  }

  private record Assessment(List<Node> now, List<Decision> decisions) {
  }

  private static Assessment assess(StreamPlan plan, Path root, boolean committed) {
    List<Node> now = fingerprints(plan);
    List<Decision> decisions = new ArrayList<>();
    Path file = root == null ? null : root.resolve(FILE);
    if (file == null || !committed || !Files.exists(file)) {
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
    List<Node> before = read(file);
    List<Node> matched = new ArrayList<>();
    for (int i = 0; i < now.size(); i++) {
      Node n = now.get(i);
      if (i >= before.size()) {
        decisions.add(new Decision(label(n), Verdict.REFUSED, "it is new, and would start empty in the middle of "
            + "the stream"));
        matched.add(n);
        continue;
      }
      Node b = before.get(i);
      Node kept = new Node(n.id(), b.directory(), n.operator(), n.input(), n.notes(), n.output());
      matched.add(kept);
      String difference = difference(b, n);
      if (difference != null) {
        decisions.add(new Decision(label(n), Verdict.REFUSED, difference));
        continue;
      }
      List<String> carried = new ArrayList<>();
      if (!b.notes().equals(n.notes())) {
        List<String> changes = new ArrayList<>();
        b.notes().stream().filter(x -> !n.notes().contains(x)).forEach(x -> changes.add("was " + quote(x)));
        n.notes().stream().filter(x -> !b.notes().contains(x)).forEach(x -> changes.add("now " + quote(x)));
        carried.add("a filter or watermark below it changed (" + String.join(", ", changes) + "); the rows "
            + "already in its state stay, new rows follow the new query");
      }
      if (b.id() != n.id()) {
        carried.add("its node id is now #" + n.id() + " (was #" + b.id() + "); its state stays where it is");
      }
      decisions.add(new Decision(label(n), Verdict.KEPT, carried.isEmpty() ? "unchanged" : String.join("; ",
          carried)));
    }
    for (int i = now.size(); i < before.size(); i++) {
      Node b = before.get(i);
      decisions.add(new Decision("#" + b.id() + " " + b.operator(), Verdict.REFUSED, "the query no longer has "
          + "this stateful operator, and its state would be dropped"));
    }
    return new Assessment(matched, decisions);
  }

  /** What differs between a recorded fingerprint and the query's, or null when their state means the same. */
  private static String difference(Node before, Node now) {
    if (!before.operator().equals(now.operator())) {
      return "the operator changed: " + wasNow(before.operator(), now.operator());
    }
    if (!before.input().equals(now.input())) {
      List<String> c = changed(before.input(), now.input());
      return "the plan below it changed (" + String.join("; ", c) + "), so its state was built from other rows, "
          + "keys or windows";
    }
    if (!before.output().equals(now.output())) {
      return "its output types were " + before.output() + ", now " + now.output();
    }
    return null;
  }

  /** The lines that differ, as "was X, now Y". */
  private static List<String> changed(List<String> before, List<String> now) {
    List<String> out = new ArrayList<>();
    int n = Math.max(before.size(), now.size());
    for (int i = 0; i < n; i++) {
      String b = i < before.size() ? before.get(i).strip() : "(nothing)";
      String a = i < now.size() ? now.get(i).strip() : "(nothing)";
      if (!b.equals(a)) {
        out.add("was " + quote(b) + ", now " + quote(a));
      }
    }
    return out;
  }

  /**
   * "was X, now Y" for two lines, X and Y cut to the part that differs, widened to whole items (between commas
   * and brackets) so that "size=10000 ms" reads whole.
   */
  static String wasNow(String before, String now) {
    int start = 0;
    int max = Math.min(before.length(), now.length());
    while (start < max && before.charAt(start) == now.charAt(start)) {
      start++;
    }
    int end = 0;
    while (end < max - start && before.charAt(before.length() - 1 - end) == now.charAt(now.length() - 1 - end)) {
      end++;
    }
    String removed = before.substring(start, before.length() - end);
    String added = now.substring(start, now.length() - end);
    if (removed.isEmpty() != added.isEmpty()) {
      String part = (removed.isEmpty() ? added : removed).replaceAll("^[, ]+|[, ]+$", "");
      return (removed.isEmpty() ? "added " : "removed ") + quote(part);
    }
    while (start > 0 && ",([ ".indexOf(before.charAt(start - 1)) < 0) {
      start--;
    }
    while (end > 0 && ",)]".indexOf(before.charAt(before.length() - end)) < 0) {
      end--;
    }
    return "was " + quote(before.substring(start, before.length() - end)) + ", now "
        + quote(now.substring(start, now.length() - end));
  }

  private static String quote(String part) {
    return part.isBlank() ? "(nothing)" : "'" + part.strip() + "'";
  }

  private static String label(Node n) {
    return "#" + n.id() + " " + n.operator();
  }

  private static List<Node> read(Path file) {
    String text;
    try {
      text = CheckpointFiles.readString(file);
    } catch (CheckpointFiles.Damaged e) {
      throw e.withAdvice("It records what the query's state means; restore it from a backup, or start the query "
          + "with a new checkpoint location");
    }
    try {
      return Json.MAPPER.readValue(text.substring(text.indexOf('\n') + 1), Recorded.class).nodes();
    } catch (JsonProcessingException e) {
      throw FreshetException.user("Checkpoint file " + file + " does not parse (" + e.getOriginalMessage() + "); "
          + "restore it from a backup, or start the query with a new checkpoint location");
    }
  }

  /** The fingerprints of the plan's stateful nodes, in id order. */
  static List<Node> fingerprints(StreamPlan plan) {
    List<Node> out = new ArrayList<>();
    for (PlanNode node : plan.nodes()) {
      if (!node.factory().stateful()) {
        continue;
      }
      List<String> input = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (int in : node.inputs()) {
        below(plan, in, "", input, notes);
      }
      String output = plan.schema(node.id()).columns().stream().map(c -> c.type().name())
          .collect(Collectors.joining(", ", "(", ")"));
      out.add(new Node(node.id(), node.id(), node.factory().describe(), input, notes, output));
    }
    return out;
  }

  /**
   * The plan below a node, one line per node, without ids (which move when nodes are added) and without what does
   * not change what a row means once it is in state: a Calc's filter and a source's watermark, which go to
   * {@code notes}.
   */
  private static void below(StreamPlan plan, int id, String indent, List<String> lines, List<String> notes) {
    if (plan.isSource(id)) {
      SourceSpec s = plan.source(id);
      lines.add(indent + "Scan(" + s.name() + s.schema().columns().stream().map(Column::type).map(Enum::name)
          .collect(Collectors.joining(", ", ", (", ")")) + (s.bounded() ? ", bounded" : ", unbounded") + ")");
      notes.add("watermark of " + s.name() + ": " + (s.watermarkText() == null ? "none" : s.watermarkText()));
      return;
    }
    PlanNode node = plan.node(id);
    String text = node.factory().describe();
    String filter = filterOf(text);
    if (filter != null) {
      notes.add("filter " + filter);
      text = text.replace("filter=" + filter + ", ", "").replace("filter=" + filter, "");
    }
    lines.add(indent + text);
    for (int in : node.inputs()) {
      below(plan, in, indent + "  ", lines, notes);
    }
  }

  /** The {@code [...]} after {@code filter=} in a Calc's line, or null. */
  private static String filterOf(String text) {
    int at = text.startsWith("Calc(") ? text.indexOf("filter=[") : -1;
    if (at < 0) {
      return null;
    }
    int depth = 0;
    for (int i = at + "filter=".length(); i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        depth--;
        if (depth == 0) {
          return text.substring(at + "filter=".length(), i + 1);
        }
      }
    }
    return null;
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
