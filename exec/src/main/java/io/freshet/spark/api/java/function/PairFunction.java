package io.freshet.spark.api.java.function;

/** Spark's {@code PairFunction}. */
@FunctionalInterface
public interface PairFunction<T, K, V> extends java.io.Serializable {
  scala.Tuple2<K, V> call(T t) throws Exception;
}
