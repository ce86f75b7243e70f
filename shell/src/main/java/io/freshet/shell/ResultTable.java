package io.freshet.shell;

import io.freshet.streaming.Row;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a streaming query's result holds now, kept from its changes as Flink's SQL client keeps its table
 * result: +I adds a row, -U takes one away and a +U after it takes its place (so an updated row stays where it
 * was on the screen; the -U and +U of several rows may interleave, as partitions hand them over, and each +U takes
 * the oldest place an -U freed in the batch), -D takes one away. In complete output mode each batch is the whole
 * result and replaces it. Rows are kept in the order they first came; each change costs the same however many rows
 * there are.
 */
final class ResultTable {
  /** Each row at its place; null where a row was taken away since the last compaction. */
  private final List<Row> slots = new ArrayList<>();
  /** Where each distinct row is (a row may be there more than once). */
  private final Map<Row, Deque<Integer>> places = new HashMap<>();
  private int size;
  /** The places -U freed in this batch, oldest first, for the +U rows that follow. */
  private final Deque<Integer> freed = new ArrayDeque<>();

  /** Applies changes: rows whose first column is their kind (+I, -U, +U, -D), then the row's columns. */
  void applyChanges(List<Row> changes) {
    for (Row change : changes) {
      String kind = String.valueOf(change.get(0));
      Object[] values = new Object[change.size() - 1];
      for (int i = 0; i < values.length; i++) {
        values[i] = change.get(i + 1);
      }
      Row row = Row.of(values);
      switch (kind) {
        case "-U" -> {
          int place = remove(row);
          if (place >= 0) {
            freed.addLast(place);
          }
        }
        case "+U" -> {
          if (freed.isEmpty()) {
            add(row);
          } else {
            put(freed.removeFirst(), row);
          }
        }
        case "-D" -> remove(row);
        default -> add(row);
      }
    }
    freed.clear();
    if (slots.size() > 64 && slots.size() > 2 * size) {
      compact();
    }
  }

  /** Replaces every row (complete output mode: each batch is the whole result). */
  void replaceAll(List<Row> rows) {
    slots.clear();
    places.clear();
    size = 0;
    freed.clear();
    rows.forEach(this::add);
  }

  /** How many rows the result holds. */
  int size() {
    return size;
  }

  /** The first {@code limit} rows, in order. */
  List<Row> first(int limit) {
    List<Row> rows = new ArrayList<>(Math.min(limit, size));
    for (int i = 0; i < slots.size() && rows.size() < limit; i++) {
      if (slots.get(i) != null) {
        rows.add(slots.get(i));
      }
    }
    return rows;
  }

  private void add(Row row) {
    put(slots.size(), row);
  }

  private void put(int place, Row row) {
    if (place == slots.size()) {
      slots.add(row);
    } else {
      slots.set(place, row);
    }
    places.computeIfAbsent(row, r -> new ArrayDeque<>()).addLast(place);
    size++;
  }

  /** Takes one copy of {@code row} away (the last one added) and returns its place, or -1 when it is not there. */
  private int remove(Row row) {
    Deque<Integer> at = places.get(row);
    if (at == null) {
      return -1;
    }
    int place = at.removeLast();
    if (at.isEmpty()) {
      places.remove(row);
    }
    slots.set(place, null);
    size--;
    return place;
  }

  private void compact() {
    List<Row> live = first(size);
    replaceAll(live);
  }
}
