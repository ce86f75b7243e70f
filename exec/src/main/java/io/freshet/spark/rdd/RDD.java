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
 * The data of one batch of a DStream: its elements in partitions, in memory. Immutable; every transformation
 * gives a new RDD. Keyed operations place a key in partition {@code hashCode mod n} (NULL in 0), as Spark's
 * hash partitioner does, and keep the keys of a partition in the order they were first seen.
 */
public class RDD<T> implements java.io.Serializable {
  private final List<List<T>> partitions;

  public RDD(List<List<T>> partitions) {
    this.partitions = partitions;
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
      parts.add(new ArrayList<>(elements.subList(from, to)));
    }
    return new RDD<>(parts);
  }

  public List<List<T>> partitions() {
    return partitions;
  }

  public int numPartitions() {
    return partitions.size();
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

  public <U> RDD<U> mapPartitions(java.util.function.Function<List<T>, List<U>> f) {
    List<List<U>> out = new ArrayList<>(partitions.size());
    for (List<T> p : partitions) {
      out.add(f.apply(p));
    }
    return new RDD<>(out);
  }

  public <U> RDD<U> map(Function<T, U> f) {
    return mapPartitions(p -> {
      List<U> out = new ArrayList<>(p.size());
      for (T t : p) {
        out.add(call(() -> f.call(t)));
      }
      return out;
    });
  }

  public RDD<T> filter(Function<T, Boolean> f) {
    return mapPartitions(p -> {
      List<T> out = new ArrayList<>();
      for (T t : p) {
        if (call(() -> f.call(t))) {
          out.add(t);
        }
      }
      return out;
    });
  }

  public <U> RDD<U> flatMap(FlatMapFunction<T, U> f) {
    return mapPartitions(p -> {
      List<U> out = new ArrayList<>();
      for (T t : p) {
        call(() -> f.call(t)).forEachRemaining(out::add);
      }
      return out;
    });
  }

  public <U> RDD<U> mapPartitionsWith(FlatMapFunction<Iterator<T>, U> f) {
    return mapPartitions(p -> {
      List<U> out = new ArrayList<>();
      call(() -> f.call(p.iterator())).forEachRemaining(out::add);
      return out;
    });
  }

  /** The partitions of all, one after another (Spark's UnionRDD). */
  @SafeVarargs
  public static <T> RDD<T> union(RDD<T>... rdds) {
    return union(List.of(rdds));
  }

  public static <T> RDD<T> union(List<RDD<T>> rdds) {
    List<List<T>> parts = new ArrayList<>();
    for (RDD<T> r : rdds) {
      parts.addAll(r.partitions);
    }
    return new RDD<>(parts);
  }

  public RDD<List<T>> glom() {
    return mapPartitions(p -> List.of(new ArrayList<>(p)));
  }

  /** The elements dealt round-robin over {@code n} partitions. */
  public RDD<T> repartition(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("requirement failed: Number of partitions (" + n + ") must be positive.");
    }
    List<List<T>> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      parts.add(new ArrayList<>());
    }
    int next = 0;
    for (List<T> p : partitions) {
      for (T t : p) {
        parts.get(next).add(t);
        next = (next + 1) % n;
      }
    }
    return new RDD<>(parts);
  }

  public List<T> collect() {
    List<T> all = new ArrayList<>();
    partitions.forEach(all::addAll);
    return all;
  }

  public long count() {
    long n = 0;
    for (List<T> p : partitions) {
      n += p.size();
    }
    return n;
  }

  public List<T> take(int num) {
    List<T> out = new ArrayList<>(Math.max(0, num));
    for (List<T> p : partitions) {
      for (T t : p) {
        if (out.size() >= num) {
          return out;
        }
        out.add(t);
      }
    }
    return out;
  }

  public boolean isEmpty() {
    for (List<T> p : partitions) {
      if (!p.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Spark's reduce: an error on an empty RDD. */
  public T reduce(Function2<T, T, T> f) {
    T acc = null;
    boolean any = false;
    for (T t : collect()) {
      T a = acc;
      acc = any ? call(() -> f.call(a, t)) : t;
      any = true;
    }
    if (!any) {
      throw new UnsupportedOperationException("empty collection");
    }
    return acc;
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
      for (List<Tuple2<K, V>> p : rdds.get(r).partitions) {
        for (Tuple2<K, V> kv : p) {
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
    return "RDD" + partitions;
  }
}
