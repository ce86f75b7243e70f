package io.freshet.spark.rdd;

import io.freshet.spark.Partitioner;
import io.freshet.spark.api.java.function.Function;
import io.freshet.spark.api.java.function.Function2;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

/**
 * The keyed operations of Spark's {@code JavaPairRDD} on {@link RDD}'s partitions: a key goes to the partition
 * its {@link Partitioner} names (by hash code by default), keys of a partition in the order first seen, values
 * of a key in their order (this RDD's before the other's).
 */
public final class PairOps {
  private PairOps() {
  }

  /** The pairs moved to the partitions {@code p} names, in their order. */
  public static <K, V> RDD<Tuple2<K, V>> partitionBy(RDD<Tuple2<K, V>> rdd, Partitioner p) {
    int n = p.numPartitions();
    List<ColumnBuilder<Tuple2<K, V>>> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      parts.add(new ColumnBuilder<>());
    }
    for (int i = 0; i < rdd.numPartitions(); i++) {
      for (Iterator<Tuple2<K, V>> it = rdd.iterator(i); it.hasNext(); ) {
        Tuple2<K, V> kv = it.next();
        parts.get(p.getPartition(kv._1())).add(kv);
      }
    }
    List<List<Tuple2<K, V>>> out = new ArrayList<>(n);
    parts.forEach(b -> out.add(b.build()));
    return new RDD<>(out);
  }

  /**
   * Spark's combineByKey: within each input partition (a task each), {@code create} of a key's first value and
   * {@code merge} of each next one, the combiners split by the partition {@code p} names (the shuffle's map side);
   * then in each output partition (a task each) every key's combiners from the input partitions, in their order,
   * joined by {@code combine} (so a zero value of foldByKey or aggregateByKey counts once per input partition that
   * holds the key, as in Spark). Keys of an output partition come in the order first seen. The input partitions
   * go as many at a time as there are threads, each group's combiners joined before the next group starts, so
   * that only a group's maps are held at once (a window over many batches has many input partitions).
   */
  @SuppressWarnings("unchecked")
  public static <K, V, C> RDD<Tuple2<K, C>> combineByKey(RDD<Tuple2<K, V>> rdd, Function<V, C> create,
      Function2<C, V, C> merge, Function2<C, C, C> combine, Partitioner p) {
    int n = p.numPartitions();
    java.util.function.Supplier<Function<V, C>> creates = Closures.perTask(create);
    java.util.function.Supplier<Function2<C, V, C>> merges = Closures.perTask(merge);
    java.util.function.Supplier<Function2<C, C, C>> combines = Closures.perTask(combine);
    CombineTable[] result = new CombineTable[n];
    int group = Math.max(1, Tasks.threads());
    for (int from = 0; from < rdd.numPartitions(); from += group) {
      List<CombineTable[]> mapSide = rdd.runTasks(from, Math.min(rdd.numPartitions(), from + group),
          (index, it) -> mapSide(it, creates.get(), merges.get(), p));
      Tasks.run(n, out -> {
        Function2<C, C, C> c = combines.get();
        CombineTable g = result[out];
        try {
          for (CombineTable[] local : mapSide) {
            CombineTable m = local[out];
            if (g == null) {
              g = m;
              continue;
            }
            for (int e = 0; e < m.size(); e++) {
              Object k = m.key(e);
              int h = CombineTable.hash(k);
              int at = g.find(k, h);
              if (at < 0) {
                g.add(k, h, m.value(e));
              } else {
                g.setValue(at, c.call((C) g.value(at), (C) m.value(e)));
              }
            }
          }
        } catch (Exception e) {
          throw RDD.rethrow(e);
        }
        result[out] = g;
        return null;
      });
    }
    List<List<Tuple2<K, C>>> parts = Tasks.run(n, out -> {
      ColumnBuilder<Tuple2<K, C>> part = new ColumnBuilder<>();
      CombineTable g = result[out];
      for (int e = 0; g != null && e < g.size(); e++) {
        part.add(new Tuple2<>((K) g.key(e), (C) g.value(e)));
      }
      return part.build();
    });
    return new RDD<>(parts);
  }

  /** One input partition's combiners, a table per output partition, keys in the order first seen. */
  @SuppressWarnings("unchecked")
  private static <K, V, C> CombineTable[] mapSide(Iterator<Tuple2<K, V>> it, Function<V, C> create,
      Function2<C, V, C> merge, Partitioner p) {
    int n = p.numPartitions();
    CombineTable[] local = new CombineTable[n];
    for (int i = 0; i < n; i++) {
      local[i] = new CombineTable();
    }
    try {
      while (it.hasNext()) {
        Tuple2<K, V> kv = it.next();
        K k = kv._1();
        CombineTable m = n == 1 ? local[0] : local[p.getPartition(k)];
        int h = CombineTable.hash(k);
        int e = m.find(k, h);
        if (e < 0) {
          m.add(k, h, create.call(kv._2()));
        } else {
          m.setValue(e, merge.call((C) m.value(e), kv._2()));
        }
      }
    } catch (Exception e) {
      throw RDD.rethrow(e);
    }
    return local;
  }

  /** Spark's reduceByKey: {@code f} within each input partition, then across them, keys placed by {@code p}. */
  public static <K, V> RDD<Tuple2<K, V>> reduceByKey(RDD<Tuple2<K, V>> rdd, Function2<V, V, V> f, Partitioner p) {
    return combineByKey(rdd, v -> v, f, f, p);
  }

  /** For each key of either, its values in each: the basis of the joins. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <K, V, W> RDD<Tuple2<K, Tuple2<List<V>, List<W>>>> cogroup(RDD<Tuple2<K, V>> left,
      RDD<Tuple2<K, W>> right, int n) {
    RDD<Tuple2<K, Object>> l = (RDD) left;
    RDD<Tuple2<K, Object>> r = (RDD) right;
    return RDD.cogroup(List.of(l, r), n).map(kv ->
        new Tuple2<>(kv._1(), new Tuple2<>((List<V>) kv._2().get(0), (List<W>) kv._2().get(1))));
  }

  /** Which rows of a key a join emits: inner, left outer, right outer or full outer. */
  public enum JoinKind {
    INNER, LEFT, RIGHT, FULL
  }

  /**
   * Spark's joins: for each key, every pair of its values in the two (each of this RDD's values in order, with
   * each of the other's); an outer side without values pairs with one null (an empty {@code Optional}).
   */
  public static <K, V, W> RDD<Tuple2<K, Tuple2<V, W>>> join(RDD<Tuple2<K, V>> left, RDD<Tuple2<K, W>> right,
      int n, JoinKind kind) {
    return cogroup(left, right, n).flatMap(kv -> {
      List<V> vs = kv._2()._1();
      List<W> ws = kv._2()._2();
      List<Tuple2<K, Tuple2<V, W>>> out = new ArrayList<>();
      if (vs.isEmpty() && (kind == JoinKind.RIGHT || kind == JoinKind.FULL)) {
        ws.forEach(w -> out.add(new Tuple2<>(kv._1(), new Tuple2<>(null, w))));
      } else if (ws.isEmpty() && (kind == JoinKind.LEFT || kind == JoinKind.FULL)) {
        vs.forEach(v -> out.add(new Tuple2<>(kv._1(), new Tuple2<>(v, null))));
      } else {
        for (V v : vs) {
          for (W w : ws) {
            out.add(new Tuple2<>(kv._1(), new Tuple2<>(v, w)));
          }
        }
      }
      return out.iterator();
    });
  }

  /** The pairs of {@code left} whose key {@code right} does not have, placed by hash in {@code n}. */
  public static <K, V, W> RDD<Tuple2<K, V>> subtractByKey(RDD<Tuple2<K, V>> left, RDD<Tuple2<K, W>> right, int n) {
    java.util.Set<K> keys = new java.util.HashSet<>();
    right.collect().forEach(kw -> keys.add(kw._1()));
    return partitionBy(left.filterShared(kv -> !keys.contains(kv._1())), new io.freshet.spark.HashPartitioner(n));
  }

  /** Sorted by key ({@code order}), ties in their order, cut into {@code n} ranges in order. */
  public static <K, V> RDD<Tuple2<K, V>> sortByKey(RDD<Tuple2<K, V>> rdd, Comparator<? super K> order,
      boolean ascending, int n) {
    List<Tuple2<K, V>> all = rdd.collect();
    Comparator<Tuple2<K, V>> byKey = (a, b) -> order.compare(a._1(), b._1());
    all.sort(ascending ? byKey : byKey.reversed());
    return RDD.parallelize(all, Math.max(1, n));
  }

  /** The values of {@code key}, in order. */
  public static <K, V> List<V> lookup(RDD<Tuple2<K, V>> rdd, K key) {
    List<V> out = new ArrayList<>();
    for (Tuple2<K, V> kv : rdd.collect()) {
      if (java.util.Objects.equals(kv._1(), key)) {
        out.add(kv._2());
      }
    }
    return out;
  }
}
