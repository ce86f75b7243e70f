package io.freshet.spark.rdd;

import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import scala.Tuple2;

/**
 * The RDD operations of Spark's per-batch API beyond element-wise ones, on {@link RDD}'s partitions: the set
 * operations (through a hash "shuffle": an element goes to partition {@code hashCode mod n}, in the order first
 * seen), pairing (cartesian, zip, zipWithIndex), repartitioning without a shuffle (coalesce), sorting, sampling and
 * the folds. Where Spark defines an order (partitions in order, then positions; cartesian's nested partitions) it
 * is kept; where Spark leaves it to its shuffle, the order here is the order first seen, so results are
 * reproducible.
 */
public final class RddOps {
  private RddOps() {
  }

  private static <T> List<List<T>> empty(int n) {
    List<List<T>> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      parts.add(new ArrayList<>());
    }
    return parts;
  }

  /** Each element once, placed by hash in {@code n} partitions. */
  public static <T> RDD<T> distinct(RDD<T> rdd, int n) {
    List<Set<T>> seen = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      seen.add(new LinkedHashSet<>());
    }
    for (int i = 0; i < rdd.numPartitions(); i++) {
      for (Iterator<T> it = rdd.iterator(i); it.hasNext(); ) {
        T t = it.next();
        seen.get(RDD.partitionOf(t, n)).add(t);
      }
    }
    List<List<T>> parts = new ArrayList<>(n);
    seen.forEach(s -> parts.add(new ArrayList<>(s)));
    return new RDD<>(parts);
  }

  /** The elements of both, each once, placed by hash in {@code n} partitions. */
  public static <T> RDD<T> intersection(RDD<T> left, RDD<T> right, int n) {
    Set<T> inRight = new LinkedHashSet<>(right.collect());
    RDD<T> both = distinct(left, n);
    return both.filterShared(inRight::contains);
  }

  /** The elements of {@code left} (duplicates kept) that {@code right} does not hold, placed by hash in n. */
  public static <T> RDD<T> subtract(RDD<T> left, RDD<T> right, int n) {
    Set<T> inRight = new LinkedHashSet<>(right.collect());
    List<List<T>> parts = empty(n);
    for (int i = 0; i < left.numPartitions(); i++) {
      for (Iterator<T> it = left.iterator(i); it.hasNext(); ) {
        T t = it.next();
        if (!inRight.contains(t)) {
          parts.get(RDD.partitionOf(t, n)).add(t);
        }
      }
    }
    return new RDD<>(parts);
  }

  /** Every pair (x, y): partition i × j of the inputs becomes partition {@code i * right's count + j}. */
  public static <T, U> RDD<Tuple2<T, U>> cartesian(RDD<T> left, RDD<U> right) {
    List<List<Tuple2<T, U>>> parts = new ArrayList<>();
    List<List<U>> rights = right.partitions(); // each read once per partition of the left
    for (int i = 0; i < left.numPartitions(); i++) {
      List<T> p = left.partitionList(i);
      for (List<U> q : rights) {
        List<Tuple2<T, U>> part = new ArrayList<>(p.size() * q.size());
        for (T t : p) {
          for (U u : q) {
            part.add(new Tuple2<>(t, u));
          }
        }
        parts.add(part);
      }
    }
    return new RDD<>(parts);
  }

  /** Pairs by position; both must have as many partitions, and as many elements in each, as Spark requires. */
  public static <T, U> RDD<Tuple2<T, U>> zip(RDD<T> left, RDD<U> right) {
    if (left.numPartitions() != right.numPartitions()) {
      throw new IllegalArgumentException("Can't zip RDDs with unequal numbers of partitions: "
          + List.of(left.numPartitions(), right.numPartitions()));
    }
    List<List<Tuple2<T, U>>> parts = new ArrayList<>(left.numPartitions());
    for (int i = 0; i < left.numPartitions(); i++) {
      Iterator<T> p = left.iterator(i);
      Iterator<U> q = right.iterator(i);
      List<Tuple2<T, U>> part = new ArrayList<>();
      while (p.hasNext() && q.hasNext()) {
        part.add(new Tuple2<>(p.next(), q.next()));
      }
      if (p.hasNext() || q.hasNext()) {
        throw new IllegalArgumentException("Can only zip RDDs with same number of elements in each partition");
      }
      parts.add(part);
    }
    return new RDD<>(parts);
  }

  /** Each element with its index: partitions in order, then positions, from 0. */
  public static <T> RDD<Tuple2<T, Long>> zipWithIndex(RDD<T> rdd) {
    List<List<Tuple2<T, Long>>> parts = new ArrayList<>(rdd.numPartitions());
    long next = 0;
    for (int i = 0; i < rdd.numPartitions(); i++) {
      List<Tuple2<T, Long>> part = new ArrayList<>();
      for (Iterator<T> it = rdd.iterator(i); it.hasNext(); ) {
        part.add(new Tuple2<>(it.next(), next++));
      }
      parts.add(part);
    }
    return new RDD<>(parts);
  }

  /** Each element with an id: the k-th of partition i of n gets {@code k * n + i} (Spark's zipWithUniqueId). */
  public static <T> RDD<Tuple2<T, Long>> zipWithUniqueId(RDD<T> rdd) {
    int n = rdd.numPartitions();
    List<List<Tuple2<T, Long>>> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Tuple2<T, Long>> part = new ArrayList<>();
      long k = 0;
      for (Iterator<T> it = rdd.iterator(i); it.hasNext(); k++) {
        part.add(new Tuple2<>(it.next(), k * n + i));
      }
      parts.add(part);
    }
    return new RDD<>(parts);
  }

  /**
   * At most {@code n} partitions without a shuffle: partition i joins the inputs' partitions
   * {@code [i * m / n, (i + 1) * m / n)} in order (Spark's coalescer where no partition has a preferred host).
   */
  public static <T> RDD<T> coalesce(RDD<T> rdd, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("requirement failed: Number of partitions (" + n + ") must be positive.");
    }
    int m = rdd.numPartitions();
    if (n >= m) {
      return rdd;
    }
    List<List<T>> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<T> part = new ArrayList<>();
      for (int j = (int) ((long) i * m / n); j < (int) ((long) (i + 1) * m / n); j++) {
        rdd.iterator(j).forEachRemaining(part::add);
      }
      parts.add(part);
    }
    return new RDD<>(parts);
  }

  /** Sorted by {@code key} (its natural order), ties in their order, cut into {@code n} ranges in order. */
  @SuppressWarnings("unchecked")
  public static <T, S> RDD<T> sortBy(RDD<T> rdd, Function<T, S> key, boolean ascending, int n) {
    List<Tuple2<S, T>> keyed = new ArrayList<>();
    for (T t : rdd.collect()) {
      keyed.add(new Tuple2<>(RDD.call(() -> key.call(t)), t));
    }
    Comparator<Object> natural = (a, b) -> ((Comparable<Object>) a).compareTo(b);
    Comparator<Tuple2<S, T>> byKey = (a, b) -> natural.compare(a._1(), b._1());
    keyed.sort(ascending ? byKey : byKey.reversed());
    List<T> sorted = new ArrayList<>(keyed.size());
    keyed.forEach(kv -> sorted.add(kv._2()));
    return RDD.parallelize(sorted, Math.max(1, n));
  }

  /**
   * A random sample: each element kept with probability {@code fraction} (without replacement), or taken a
   * Poisson({@code fraction}) number of times (with); partition i draws from a generator seeded by
   * {@code seed + i}, so a seed gives the same sample again.
   */
  public static <T> RDD<T> sample(RDD<T> rdd, boolean withReplacement, double fraction, long seed) {
    if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw new IllegalArgumentException("Invalid sampling rate: " + fraction + (withReplacement
          ? " (with replacement it must be at least 0)" : " (without replacement it must be in [0, 1])"));
    }
    List<List<T>> parts = new ArrayList<>(rdd.numPartitions());
    for (int i = 0; i < rdd.numPartitions(); i++) {
      SplittableRandom random = new SplittableRandom(seed + i);
      List<T> part = new ArrayList<>();
      for (Iterator<T> it = rdd.iterator(i); it.hasNext(); ) {
        T t = it.next();
        int times = withReplacement ? poisson(random, fraction) : random.nextDouble() < fraction ? 1 : 0;
        for (int k = 0; k < times; k++) {
          part.add(t);
        }
      }
      parts.add(part);
    }
    return new RDD<>(parts);
  }

  /** {@code num} elements at random, in random order: drawn with replacement, or a prefix of a shuffle without. */
  public static <T> List<T> takeSample(RDD<T> rdd, boolean withReplacement, int num, long seed) {
    if (num < 0) {
      throw new IllegalArgumentException("Negative number of elements requested");
    }
    List<T> all = rdd.collect();
    SplittableRandom random = new SplittableRandom(seed);
    if (withReplacement) {
      List<T> out = new ArrayList<>(num);
      for (int i = 0; i < num && !all.isEmpty(); i++) {
        out.add(all.get(random.nextInt(all.size())));
      }
      return out;
    }
    int n = Math.min(num, all.size());
    for (int i = 0; i < n; i++) {
      java.util.Collections.swap(all, i, i + random.nextInt(all.size() - i));
    }
    return new ArrayList<>(all.subList(0, n));
  }

  private static int poisson(SplittableRandom random, double mean) {
    if (mean > 500) {
      // exp(-mean) would underflow: a Poisson(a + b) draw is a Poisson(a) draw plus a Poisson(b) draw.
      return poisson(random, 500) + poisson(random, mean - 500);
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int k = 0;
    while (product > limit) {
      k++;
      product *= random.nextDouble();
    }
    return k;
  }

  /** Spark's fold: each partition folded from (a copy of) {@code zero}, then the partitions' results from it. */
  public static <T> T fold(RDD<T> rdd, T zero, Function2<T, T, T> f) {
    return aggregate(rdd, zero, f, f);
  }

  /** Spark's aggregate: {@code seq} within each partition from a copy of {@code zero}, {@code comb} across. */
  public static <T, U> U aggregate(RDD<T> rdd, U zero, Function2<U, T, U> seq, Function2<U, U, U> comb) {
    U result = copyOf(zero);
    java.util.function.Supplier<Function2<U, T, U>> seqs = Closures.perTask(seq);
    List<Object[]> partials = rdd.runTasks((i, it) -> {
      U acc = copyOf(zero);
      Function2<U, T, U> s = seqs.get();
      try {
        while (it.hasNext()) {
          acc = s.call(acc, it.next());
        }
      } catch (Exception e) {
        throw RDD.rethrow(e);
      }
      return new Object[] {acc};
    });
    for (Object[] partial : partials) {
      U r = result;
      @SuppressWarnings("unchecked")
      U p = (U) partial[0];
      result = RDD.call(() -> comb.call(r, p));
    }
    return result;
  }

  /**
   * A copy of a zero value, as Spark serializes it to each task: a mutable zero (a list, an array) is not shared
   * between partitions. A value that is not Serializable is used as it is.
   */
  @SuppressWarnings("unchecked")
  public static <U> U copyOf(U value) {
    if (!(value instanceof Serializable) || value instanceof Number || value instanceof String
        || value instanceof Boolean) {
      return value;
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (U) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("The zero value " + value + " cannot be copied for each partition (Spark "
          + "serializes it to each task): " + e, e);
    }
  }

  /** The {@code num} smallest by {@code order}, smallest first. */
  public static <T> List<T> takeOrdered(RDD<T> rdd, int num, Comparator<? super T> order) {
    List<T> all = rdd.collect();
    all.sort(order);
    return new ArrayList<>(all.subList(0, Math.max(0, Math.min(num, all.size()))));
  }

  /** How many times each element occurs, in the order first seen. */
  public static <T> Map<T, Long> countByValue(RDD<T> rdd) {
    Map<T, Long> counts = new LinkedHashMap<>();
    for (T t : rdd.collect()) {
      counts.merge(t, 1L, Long::sum);
    }
    return counts;
  }
}
