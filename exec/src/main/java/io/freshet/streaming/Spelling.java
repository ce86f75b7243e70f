package io.freshet.streaming;

import java.util.Collection;
import java.util.Locale;

/** The closest valid word to a misspelt one, for messages that say "did you mean ...?". */
public final class Spelling {
  private Spelling() {
  }

  /**
   * The candidate closest to {@code word} (ignoring case) when it is close enough to be a likely slip: at most one
   * edit for short words, two for longer ones; null otherwise.
   */
  public static String closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    int allowed = w.length() <= 4 ? 1 : 2;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(w, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return bestDistance <= allowed ? best : null;
  }

  /** {@code " (did you mean X?)"} naming the closest candidate, or an empty string when none is close. */
  public static String didYouMean(String word, Collection<String> candidates) {
    String closest = closest(word, candidates);
    return closest == null ? "" : " (did you mean " + closest + "?)";
  }

  /** Edit distance (insertions, deletions, substitutions and swaps of neighbours). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
