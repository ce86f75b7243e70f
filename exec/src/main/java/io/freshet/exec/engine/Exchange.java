package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.plan.Distribution;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The mailboxes of a query's hash exchanges: before a node whose input is distributed by key, each partition
 * puts the rows of each key group into the box of the partition that owns the group, and after every partition
 * has finished the stage before, each owner takes its rows in the order their source batches were read (the
 * number each piece carries), so that a stateful node sees its rows in the same order whatever the number of
 * partitions; rows emitted by a stage (numbered {@link Long#MAX_VALUE}) come after, from partition 0 up.
 * Partition {@code from} alone writes the boxes {@code [from][*]} and partition {@code to} alone reads the boxes
 * {@code [*][to]}, at different times, so the boxes need no locks: the barrier between stages orders them.
 */
final class Exchange {
  private final int partitions;
  /** A piece of a batch sent to a partition, with the number of the source batch it came from. */
  record Piece(long sequence, Batch batch) {
  }

  /** By node id and input: the boxes [from][to], or null where the input is not exchanged. */
  private final List<Piece>[][][][] boxes;

  @SuppressWarnings("unchecked")
  Exchange(StreamPlan plan, int partitions) {
    this.partitions = partitions;
    this.boxes = new List[plan.size()][][][];
    for (PlanNode node : plan.nodes()) {
      if (exchanged(node, partitions)) {
        boxes[node.id()] = new List[node.inputs().size()][partitions][partitions];
        for (List<Piece>[][] input : boxes[node.id()]) {
          for (List<Piece>[] from : input) {
            for (int to = 0; to < partitions; to++) {
              from[to] = new ArrayList<>();
            }
          }
        }
      }
    }
  }

  /** Whether the rows into {@code node} cross partitions: its input is distributed by key and there are several. */
  static boolean exchanged(PlanNode node, int partitions) {
    return partitions > 1 && node.distribution() instanceof Distribution.Hash;
  }

  /** The stage of each node: one more than its inputs' after an exchange, the same otherwise (sources: 0). */
  static int[] stages(StreamPlan plan, int partitions) {
    int[] stage = new int[plan.size()];
    for (PlanNode node : plan.nodes()) {
      int s = 0;
      for (int input : node.inputs()) {
        s = Math.max(s, stage[input] + (exchanged(node, partitions) ? 1 : 0));
      }
      stage[node.id()] = s;
    }
    return stage;
  }

  int partitions() {
    return partitions;
  }

  /**
   * Partition {@code from} sends {@code batch} (which the box now owns), rows of source batch {@code sequence}, to
   * input {@code input} of {@code node}.
   */
  void put(int node, int input, int from, int to, Batch batch, long sequence) {
    boxes[node][input][from][to].add(new Piece(sequence, batch));
  }

  /**
   * Partition {@code to} takes everything sent to input {@code input} of {@code node}, in the order of the source
   * batches the rows came from (then by sending partition); the caller owns the batches.
   */
  List<Batch> take(int node, int input, int to) {
    List<Piece> pieces = new ArrayList<>();
    for (int from = 0; from < partitions; from++) {
      List<Piece> box = boxes[node][input][from][to];
      pieces.addAll(box);
      box.clear();
    }
    pieces.sort(Comparator.comparingLong(Piece::sequence));
    return pieces.stream().map(Piece::batch).toList();
  }

  /** Releases what no partition took (after a failure). */
  void clear() {
    for (List<Piece>[][][] node : boxes) {
      if (node == null) {
        continue;
      }
      for (List<Piece>[][] input : node) {
        for (List<Piece>[] from : input) {
          for (List<Piece> box : from) {
            box.forEach(p -> p.batch().close());
            box.clear();
          }
        }
      }
    }
  }
}
