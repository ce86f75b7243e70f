package io.freshet.exec.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How two one-line descriptions differ, word by word, for messages: a stateful node's fingerprint as the checkpoint
 * recorded it and as the query has it now ({@link QueryEvolution}), or a widened type ({@link Widening}).
 */
final class WordDiff {
  private WordDiff() {
  }

  /**
   * What differs between two lines, as "was X, now Y" per changed run of words (each said once), "added X" or
   * "removed X"; a window of 20 s instead of 10 s reads {@code was 'size=10000', now 'size=20000'}.
   */
  static String wasNow(String before, String now) {
    List<String> a = tokens(before);
    List<String> b = tokens(now);
    if ((long) a.size() * b.size() > 4_000_000L) {
      return "was " + quote(before) + ", now " + quote(now);
    }
    int[][] common = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
            : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    // The edit script, token by token: 0 kept, 1 removed (from before), 2 added (from now).
    List<int[]> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        ops.add(new int[] {0, i++, j++});
      } else if (j >= b.size() || i < a.size() && common[i + 1][j] >= common[i][j + 1]) {
        ops.add(new int[] {1, i++, -1});
      } else {
        ops.add(new int[] {2, -1, j++});
      }
    }
    LinkedHashSet<String> changes = new LinkedHashSet<>();
    int k = 0;
    while (k < ops.size()) {
      if (ops.get(k)[0] == 0) {
        k++;
        continue;
      }
      StringBuilder removed = new StringBuilder();
      StringBuilder added = new StringBuilder();
      while (k < ops.size()) {
        int[] op = ops.get(k);
        if (op[0] == 0) {
          // A few kept words between two changes, within one item, belong to the change: UPPER( k ).
          int end = k;
          while (end < ops.size() && ops.get(end)[0] == 0 && end - k < 3 && !a.get(ops.get(end)[1]).equals(",")) {
            end++;
          }
          if (end == ops.size() || ops.get(end)[0] == 0) {
            break;
          }
          for (; k < end; k++) {
            removed.append(a.get(ops.get(k)[1]));
            added.append(b.get(ops.get(k)[2]));
          }
          continue;
        }
        if (op[0] == 1) {
          removed.append(a.get(op[1]));
        } else {
          added.append(b.get(op[2]));
        }
        k++;
      }
      // Close what the change opened: COUNT(* becomes COUNT(*).
      while (k < ops.size() && ops.get(k)[0] == 0 && a.get(ops.get(k)[1]).equals(")")
          && (open(removed) > 0 || open(added) > 0)) {
        removed.append(')');
        added.append(')');
        k++;
      }
      String r = removed.toString().replaceAll("^[, ]+|[, ]+$", "");
      String d = added.toString().replaceAll("^[, ]+|[, ]+$", "");
      changes.add(r.isEmpty() ? "added " + quote(d) : d.isEmpty() ? "removed " + quote(r)
          : "was " + quote(r) + ", now " + quote(d));
    }
    return String.join("; ", changes);
  }

  /** How many more brackets {@code text} opens than it closes. */
  private static int open(CharSequence text) {
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      depth += text.charAt(i) == '(' ? 1 : text.charAt(i) == ')' ? -1 : 0;
    }
    return depth;
  }

  /** Words and the punctuation between them, so that joined they give the line back. */
  static List<String> tokens(String line) {
    return List.of(line.split("(?<=[,\\[\\]() ])|(?=[,\\[\\]() ])"));
  }

  static String quote(String part) {
    return part.isBlank() ? "(nothing)" : "'" + part.strip() + "'";
  }
}
