package io.freshet.exec.aggregate.accumulator;

/**
 * The HyperLogLog sketch over 64-bit hashes: 2^11 one-byte registers (standard error about 2.3 %) in a plain byte
 * array, so that {@link ApproxDistinct} keeps one array per group and checkpoints it as bytes. A group without an
 * array yet (null) estimates 0.
 */
final class HyperLogLog {
  static final int P = 11;
  static final int M = 1 << P;

  private HyperLogLog() {
  }

  /** Records hash {@code h} in registers {@code r}: its first P bits pick a register, the rest give the rank. */
  static void add(byte[] r, long h) {
    int index = (int) (h >>> (64 - P));
    int rank = Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1;
    if (rank > r[index]) {
      r[index] = (byte) rank;
    }
  }

  /** Folds registers {@code b} into {@code a}: the sketch of the union of both. */
  static void merge(byte[] a, byte[] b) {
    for (int k = 0; k < M; k++) {
      a[k] = (byte) Math.max(a[k], b[k]);
    }
  }

  /** The estimated number of distinct hashes recorded, with the linear-counting correction for small counts. */
  static long estimate(byte[] r) {
    if (r == null) {
      return 0;
    }
    double sum = 0;
    int zeros = 0;
    for (byte b : r) {
      sum += 1.0 / (1L << b);
      if (b == 0) {
        zeros++;
      }
    }
    double alpha = 0.7213 / (1 + 1.079 / M);
    double e = alpha * M * M / sum;
    if (e <= 2.5 * M && zeros > 0) {
      e = M * Math.log((double) M / zeros);
    }
    return Math.round(e);
  }
}
