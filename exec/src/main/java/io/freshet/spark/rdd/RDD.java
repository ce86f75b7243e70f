package io.freshet.spark.rdd;

import io.freshet.spark.api.java.function.FlatMapFunction;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

/**
 * The data of one batch of a DStream: its elements in partitions. Immutable; every transformation gives a new RDD.
 *
 * <p>As in Spark, the element-wise transformations (map, filter, flatMap, mapPartitions) are lazy: they describe
 * a partition as a pipeline over the parent's, and the operation that consumes the RDD (an action, a keyed
 * operation's shuffle) pulls each element through the whole pipeline, so that no element is stored between them.
 * An RDD used twice is computed twice unless kept ({@link #persist}: {@code cache()}, and the DStreams' own rules
 * for windows, state and streams with several consumers), which stores it on its first use, column by column
 * ({@link ColumnBuilder}), and cuts it from its parents. Partitions run as parallel tasks ({@link Tasks}).
 *
 * <p>Keyed operations place a key in partition {@code hashCode mod n} (NULL in 0), as Spark's hash partitioner
 * does, and keep the keys of a partition in the order they were first seen.
 */
public class RDD<T> implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** How partition i of a lazy RDD is made: a fresh iterator each call. */
  @FunctionalInterface
  public interface Compute<T> {
    Iterator<T> iterator(int partition);
  }

  private final int numPartitions;
  private transient volatile Compute<T> compute;
  /** The RDDs a lazy one reads (until it is stored), so that kept ones among them are stored before its tasks. */
  private transient volatile List<RDD<?>> parents = List.of();
  private volatile List<List<T>> partitions;
  private transient volatile boolean persisted;

  /** An RDD of the given partitions, stored as they are (a partition list must not change afterwards). */
  public RDD(List<List<T>> partitions) {
    this.partitions = partitions;
    this.numPartitions = partitions.size();
  }

  /** A lazy RDD of {@code numPartitions} partitions that {@code compute} makes each time they are used. */
  public RDD(int numPartitions, Compute<T> compute, RDD<?>... parents) {
    this.numPartitions = numPartitions;
    this.compute = compute;
    this.parents = List.of(parents);
  }

  public static <T> RDD<T> empty() {
    return new RDD<>(List.of());
  }

  /** {@code elements} split into {@code slices} partitions of (nearly) equal size, in order, as parallelize does. */
  public static <T> RDD<T> parallelize(List<T> elements, int slices) {
    if (slices < 1) {
      throw new IllegalArgumentException("Positive number of partitions required");
    }
    List<List<T>> parts = new ArrayList<>(slices);
    int n = elements.size();
    for (int i = 0; i < slices; i++) {
      int from = (int) ((long) i * n / slices);
      int to = (int) ((long) (i + 1) * n / slices);
      parts.add(store(elements.subList(from, to).iterator()));
    }
    return new RDD<>(parts);
  }

  /** The elements of {@code it}, stored column by column where their type allows. */
  public static <T> List<T> store(Iterator<T> it) {
    ColumnBuilder<T> b = new ColumnBuilder<>();
    while (it.hasNext()) {
      b.add(it.next());
    }
    return b.build();
  }

  /** Stores this RDD on its first use (Spark's cache), so that later uses do not compute it again. */
  public RDD<T> persist() {
    persisted = true;
    return this;
  }

  /** Whether the partitions are stored (made at construction, or kept by {@link #persist} after a first use). */
  public boolean isStored() {
    return partitions != null;
  }

  /**
   * The partitions, stored: a lazy RDD is computed (its partitions as parallel tasks) and kept from then on.
   * Operations that only read each partition once use {@link #iterator} instead, which stores nothing.
   */
  public List<List<T>> partitions() {
    List<List<T>> p = partitions;
    if (p == null) {
      synchronized (this) {
        p = partitions;
        if (p == null) {
          storeKeptAncestors();
          Compute<T> c = compute;
          p = Tasks.run(numPartitions, i -> store(c.iterator(i)));
          partitions = p;
          compute = null; // the stored partitions no longer need the parents
          parents = List.of();
        }
      }
    }
    return p;
  }

  /** Partition {@code i}'s elements: read from storage, else computed through the pipeline (kept if persisted). */
  public Iterator<T> iterator(int i) {
    List<List<T>> p = partitions;
    if (p != null) {
      return p.get(i).iterator();
    }
    if (persisted) {
      return partitions().get(i).iterator();
    }
    Compute<T> c = compute;
    return c == null ? partitions().get(i).iterator() : c.iterator(i);
  }

  /**
   * Stores the kept RDDs this one reads, from the calling thread and each with all its tasks, before this one's
   * tasks start: else the first task to reach a kept parent would compute all of it, alone, while the others wait.
   */
  private void storeKeptAncestors() {
    for (RDD<?> parent : parents) {
      if (parent.partitions == null) {
        if (parent.persisted) {
          parent.partitions();
        } else {
          parent.storeKeptAncestors();
        }
      }
    }
  }

  /** {@code task} of each partition's index and elements, as parallel tasks; the results in partition order. */
  public <R> List<R> runTasks(java.util.function.BiFunction<Integer, Iterator<T>, R> task) {
    return runTasks(0, numPartitions, task);
  }

  /** As {@link #runTasks(java.util.function.BiFunction)}, for the partitions {@code from} (inclusive) to {@code to}. */
  public <R> List<R> runTasks(int from, int to, java.util.function.BiFunction<Integer, Iterator<T>, R> task) {
    if (partitions == null) {
      if (persisted) {
        partitions();
      } else {
        storeKeptAncestors();
      }
    }
    return Tasks.run(to - from, i -> task.apply(from + i, iterator(from + i)));
  }

  /**
   * In a task's copy of a function that uses it, this very RDD; otherwise stored RDDs are written as they are and
   * a lazy one is computed first (the pipeline is not serializable).
   */
  protected final Object writeReplace() {
    Object shared = Closures.shareInCopies(this);
    if (shared != this) {
      return shared;
    }
    return partitions == null ? new RDD<>(partitions()) : this;
  }

  public int numPartitions() {
    return numPartitions;
  }

  /** Runs a user function, turning its checked exception into an unchecked one that keeps it as the cause. */
  public static <R> R call(java.util.concurrent.Callable<R> f) {
    try {
      return f.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new UserFunctionException(e);
    }
  }

  /** A checked exception thrown by a function of the program. */
  public static final class UserFunctionException extends RuntimeException {
    UserFunctionException(Exception cause) {
      super(cause.toString(), cause);
    }
  }

  static RuntimeException rethrow(Exception e) {
    return e instanceof RuntimeException r ? r : new UserFunctionException(e);
  }

  /** Each partition as a whole list given to {@code f} (lazy: on use). */
  public <U> RDD<U> mapPartitions(java.util.function.Function<List<T>, List<U>> f) {
    return new RDD<>(numPartitions, i -> f.apply(partitionList(i)).iterator(), this);
  }

  /** Partition {@code i} as a list: the stored one, or the pipeline's elements collected (not kept). */
  List<T> partitionList(int i) {
    List<List<T>> p = partitions;
    if (p != null) {
      return p.get(i);
    }
    List<T> out = new ArrayList<>();
    iterator(i).forEachRemaining(out::add);
    return out;
  }

  // The program's functions: each task calls its own copy (Closures), as in Spark.

  public <U> RDD<U> map(Function<T, U> f) {
    java.util.function.Supplier<Function<T, U>> fs = Closures.perTask(f);
    return new RDD<>(numPartitions, i -> new Pipelines.Mapped<>(iterator(i), fs.get()), this);
  }

  public RDD<T> filter(Function<T, Boolean> f) {
    java.util.function.Supplier<Function<T, Boolean>> fs = Closures.perTask(f);
    return new RDD<>(numPartitions, i -> new Pipelines.Filtered<>(iterator(i), fs.get()), this);
  }

  /** A filter of Freshet's own, read-only and safe to share between tasks: not copied per task. */
  RDD<T> filterShared(java.util.function.Predicate<T> keep) {
    return new RDD<>(numPartitions, i -> new Pipelines.Filtered<>(iterator(i), keep::test), this);
  }

  public <U> RDD<U> flatMap(FlatMapFunction<T, U> f) {
    java.util.function.Supplier<FlatMapFunction<T, U>> fs = Closures.perTask(f);
    return new RDD<>(numPartitions, i -> new Pipelines.FlatMapped<>(iterator(i), fs.get()), this);
  }

  public <U> RDD<U> mapPartitionsWith(FlatMapFunction<Iterator<T>, U> f) {
    java.util.function.Supplier<FlatMapFunction<Iterator<T>, U>> fs = Closures.perTask(f);
    return new RDD<>(numPartitions, i -> {
      FlatMapFunction<Iterator<T>, U> g = fs.get();
      return call(() -> g.call(iterator(i)));
    }, this);
  }

  /** The partitions of all, one after another (Spark's UnionRDD). */
  @SafeVarargs
  public static <T> RDD<T> union(RDD<T>... rdds) {
    return union(List.of(rdds));
  }

  public static <T> RDD<T> union(List<RDD<T>> rdds) {
    List<RDD<T>> all = List.copyOf(rdds);
    if (all.stream().allMatch(RDD::isStored)) {
      // Stored partitions are taken as they are, so that a union of unions stays flat.
      List<List<T>> parts = new ArrayList<>();
      all.forEach(r -> parts.addAll(r.partitions()));
      return new RDD<>(parts);
    }
    int[] firsts = new int[all.size() + 1];
    for (int r = 0; r < all.size(); r++) {
      firsts[r + 1] = firsts[r] + all.get(r).numPartitions();
    }
    return new RDD<>(firsts[all.size()], i -> {
      int r = 0;
      while (firsts[r + 1] <= i) {
        r++;
      }
      return all.get(r).iterator(i - firsts[r]);
    }, all.toArray(new RDD<?>[0]));
  }

  public RDD<List<T>> glom() {
    return new RDD<>(numPartitions, i -> List.<List<T>>of(new ArrayList<>(partitionList(i))).iterator(), this);
  }

  /** The elements dealt round-robin over {@code n} partitions. */
  public RDD<T> repartition(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("requirement failed: Number of partitions (" + n + ") must be positive.");
    }
    List<ColumnBuilder<T>> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      parts.add(new ColumnBuilder<>());
    }
    int next = 0;
    for (int p = 0; p < numPartitions; p++) {
      for (Iterator<T> it = iterator(p); it.hasNext(); ) {
        parts.get(next).add(it.next());
        next = (next + 1) % n;
      }
    }
    List<List<T>> out = new ArrayList<>(n);
    parts.forEach(b -> out.add(b.build()));
    return new RDD<>(out);
  }

  public List<T> collect() {
    List<List<T>> parts = runTasks((i, it) -> {
      List<T> l = new ArrayList<>();
      it.forEachRemaining(l::add);
      return l;
    });
    List<T> all = new ArrayList<>();
    parts.forEach(all::addAll);
    return all;
  }

  public long count() {
    List<List<T>> p = partitions;
    if (p != null) {
      long n = 0;
      for (List<T> part : p) {
        n += part.size();
      }
      return n;
    }
    long n = 0;
    for (long c : runTasks((i, it) -> {
      long k = 0;
      for (; it.hasNext(); it.next()) {
        k++;
      }
      return k;
    })) {
      n += c;
    }
    return n;
  }

  /** The first {@code num} elements: partitions in order, each computed only as far as needed. */
  public List<T> take(int num) {
    List<T> out = new ArrayList<>(Math.max(0, Math.min(num, 1024)));
    for (int p = 0; p < numPartitions && out.size() < num; p++) {
      for (Iterator<T> it = iterator(p); out.size() < num && it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }

  public boolean isEmpty() {
    return take(1).isEmpty();
  }

  /** Spark's reduce: each partition reduced, then the partitions' results in order; an error on an empty RDD. */
  @SuppressWarnings("unchecked")
  public T reduce(Function2<T, T, T> f) {
    Object[] result = reduceIfAny(f);
    if (result == null) {
      throw new UnsupportedOperationException("empty collection");
    }
    return (T) result[0];
  }

  /** As {@link #reduce}, in one pass: the result in a one-element array, or null when the RDD is empty. */
  public Object[] reduceIfAny(Function2<T, T, T> f) {
    java.util.function.Supplier<Function2<T, T, T>> fs = Closures.perTask(f);
    List<Object[]> partials = runTasks((i, it) -> {
      if (!it.hasNext()) {
        return null;
      }
      Function2<T, T, T> g = fs.get();
      T acc = it.next();
      while (it.hasNext()) {
        T t = it.next();
        try {
          acc = g.call(acc, t);
        } catch (Exception e) {
          throw rethrow(e);
        }
      }
      return new Object[] {acc};
    });
    T acc = null;
    boolean any = false;
    for (Object[] partial : partials) {
      if (partial == null) {
        continue;
      }
      @SuppressWarnings("unchecked")
      T t = (T) partial[0];
      T a = acc;
      acc = any ? call(() -> f.call(a, t)) : t;
      any = true;
    }
    return any ? new Object[] {acc} : null;
  }

  // ---------------------------------------------------------------- keyed

  static int partitionOf(Object key, int n) {
    return key == null ? 0 : Math.floorMod(key.hashCode(), n);
  }

  /** For each key of any of the RDDs, its values in each of them (Spark's cogroup of several RDDs). */
  public static <K, V> RDD<Tuple2<K, List<List<V>>>> cogroup(List<RDD<Tuple2<K, V>>> rdds, int n) {
    List<Map<K, List<List<V>>>> groups = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      groups.add(new LinkedHashMap<>());
    }
    for (int r = 0; r < rdds.size(); r++) {
      for (int p = 0; p < rdds.get(r).numPartitions(); p++) {
        for (Iterator<Tuple2<K, V>> it = rdds.get(r).iterator(p); it.hasNext(); ) {
          Tuple2<K, V> kv = it.next();
          List<List<V>> lists = groups.get(partitionOf(kv._1(), n)).computeIfAbsent(kv._1(), k -> {
            List<List<V>> l = new ArrayList<>(rdds.size());
            for (int i = 0; i < rdds.size(); i++) {
              l.add(new ArrayList<>());
            }
            return l;
          });
          lists.get(r).add(kv._2());
        }
      }
    }
    List<List<Tuple2<K, List<List<V>>>>> parts = new ArrayList<>(n);
    for (Map<K, List<List<V>>> g : groups) {
      List<Tuple2<K, List<List<V>>>> part = new ArrayList<>(g.size());
      g.forEach((k, lists) -> part.add(new Tuple2<>(k, lists)));
      parts.add(part);
    }
    return new RDD<>(parts);
  }

  @Override
  public String toString() {
    return "RDD" + partitions();
  }
}
