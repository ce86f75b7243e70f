package io.freshet.spark.api.java.function;

/** Spark's {@code PairFlatMapFunction}. */
@FunctionalInterface
public interface PairFlatMapFunction<T, K, V> extends java.io.Serializable {
  java.util.Iterator<scala.Tuple2<K, V>> call(T t) throws Exception;
}
