package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.ColumnBuilder;
import io.freshet.spark.rdd.RDD;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a receiver stored that no batch has taken yet, oldest first, held in columns ({@link ColumnBuilder}) as it
 * arrives rather than as an object per record: chunks of up to {@value #BLOCK} records, each of which becomes a
 * partition of the batch that takes it (Spark's blocks, cut by count here rather than by time). Not thread-safe:
 * its owner synchronizes.
 */
final class ReceivedBuffer<T> {
  /** The most records in a block (a partition of a batch). */
  static final int BLOCK = 50_000;

  private final ArrayDeque<List<T>> blocks = new ArrayDeque<>();
  private ColumnBuilder<T> open = new ColumnBuilder<>();
  private int openSize;
  private long size;

  long size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void addAll(Collection<T> items) {
    for (T t : items) {
      open.add(t);
      if (++openSize == BLOCK) {
        seal();
      }
    }
    size += items.size();
  }

  void clear() {
    blocks.clear();
    open = new ColumnBuilder<>();
    openSize = 0;
    size = 0;
  }

  private void seal() {
    if (openSize > 0) {
      blocks.add(open.build());
      open = new ColumnBuilder<>();
      openSize = 0;
    }
  }

  /** The oldest records, at most {@code limit}, as the partitions of a batch (a block cut where the limit falls). */
  List<List<T>> take(long limit) {
    seal();
    List<List<T>> taken = new ArrayList<>();
    long left = limit;
    while (left > 0 && !blocks.isEmpty()) {
      List<T> block = blocks.poll();
      if (block.size() <= left) {
        taken.add(block);
        left -= block.size();
      } else {
        int cut = (int) left;
        taken.add(RDD.store(block.subList(0, cut).iterator()));
        blocks.addFirst(RDD.store(block.subList(cut, block.size()).iterator()));
        left = 0;
      }
    }
    for (List<T> block : taken) {
      size -= block.size();
    }
    return taken;
  }
}
